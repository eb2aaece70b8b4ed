#include "ui/settings/gui_settings.h"

#include "core/common/paths.h"

#include <QSettings>

namespace portico::ui {

QString themeName(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Theme themeFromName(const QString &name)
{
    if (name == u"light")
        return Theme::Light;
    if (name == u"dark")
        return Theme::Dark;
    return Theme::System;
}

QString GuiSettings::path()
{
    return paths::homeDir() + QStringLiteral("/gui.ini");
}

GuiSettings GuiSettings::load(const config::CaptureSpec &capture)
{
    GuiSettings out;
    out.bodyCap = capture.bodyCap;
    out.budgetBytes = capture.budget;
    const QSettings in(path(), QSettings::IniFormat);
    out.webPort = in.value(QStringLiteral("ports/web"), 0).toInt();
    out.websecurePort = in.value(QStringLiteral("ports/websecure"), 0).toInt();
    out.extraSuffixes = in.value(QStringLiteral("tls/extraSuffixes")).toStringList();
    out.discovery = in.value(QStringLiteral("discovery/publish"), out.discovery).toString();
    out.bodyCap = in.value(QStringLiteral("capture/bodyCap"), out.bodyCap).toLongLong();
    out.budgetBytes = in.value(QStringLiteral("capture/budget"), out.budgetBytes).toLongLong();
    out.startAtLogin = in.value(QStringLiteral("app/startAtLogin"), false).toBool();
    out.theme = themeFromName(in.value(QStringLiteral("app/theme")).toString());
    return out;
}

bool GuiSettings::save() const
{
    if (!paths::ensureHomeDir())
        return false;
    QSettings out(path(), QSettings::IniFormat);
    out.setValue(QStringLiteral("ports/web"), webPort);
    out.setValue(QStringLiteral("ports/websecure"), websecurePort);
    out.setValue(QStringLiteral("tls/extraSuffixes"), extraSuffixes);
    out.setValue(QStringLiteral("discovery/publish"), discovery);
    out.setValue(QStringLiteral("capture/bodyCap"), bodyCap);
    out.setValue(QStringLiteral("capture/budget"), budgetBytes);
    out.setValue(QStringLiteral("app/startAtLogin"), startAtLogin);
    out.setValue(QStringLiteral("app/theme"), themeName(theme));
    out.sync();
    return out.status() == QSettings::NoError;
}

void applyStartupSettings(
    const GuiSettings &settings, config::StaticConfig &config, bool portFromCommandLine)
{
    if (!portFromCommandLine) {
        for (auto &ep : config.entryPoints) {
            if (ep.name == u"web" && settings.webPort > 0)
                ep.port = quint16(settings.webPort);
            if (ep.name == u"websecure" && settings.websecurePort > 0)
                ep.port = quint16(settings.websecurePort);
        }
    }
    if (config.portsProvider)
        config.portsProvider->publish = settings.discovery;
    for (const QString &suffix : settings.extraSuffixes) {
        if (!config.tlsExtraSuffixes.contains(suffix))
            config.tlsExtraSuffixes << suffix;
    }
    config.capture.bodyCap = settings.bodyCap;
    config.capture.budget = settings.budgetBytes;
}

} // namespace portico::ui
