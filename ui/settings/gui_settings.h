#pragma once

#include "core/config/static_spec.h"

#include <QString>
#include <QStringList>

class QSettings;

namespace portico::ui {

/// How the window is coloured.
enum class Theme { System, Light, Dark };

/// What the Settings page changes, kept with QSettings in `<PORTICO_HOME>/gui.ini`. Ports, extra
/// TLDs and the discovery mode apply at the next start (entry points are bound once; the TLDs
/// join `tls.extraSuffixes`, and an existing CA covers new ones after its next rotation); capture
/// limits, start at login and the theme apply at once.
struct GuiSettings
{
    int webPort = 0; ///< the `web` entry point's port; 0 = the configuration's
    int websecurePort = 0; ///< the `websecure` entry point's port; 0 = the configuration's
    QStringList extraSuffixes; ///< TLDs beyond `localhost` and `test` (`internal`, `lan`)
    QString discovery = QStringLiteral("manual"); ///< `manual` or `auto` (ports provider publish)
    qint64 bodyCap = qint64(1) << 20; ///< bytes kept of each captured body
    qint64 budgetBytes = qint64(256) << 20; ///< bytes of the whole capture ring
    bool startAtLogin = false;
    Theme theme = Theme::System;

    /// The settings file: `<homeDir>/gui.ini`.
    static QString path();
    /// Reads path(); missing keys keep their defaults, `capture` seeds the capture limits.
    static GuiSettings load(const config::CaptureSpec &capture = {});
    /// Writes path(); returns false when it could not be written.
    bool save() const;

    friend bool operator==(const GuiSettings &, const GuiSettings &) = default;
};

/// Applies what must be known before the core starts: entry point ports (unless given on the
/// command line, `portFromCommandLine`), extra TLDs, the discovery mode and the capture limits.
void applyStartupSettings(
    const GuiSettings &settings, config::StaticConfig &config, bool portFromCommandLine);

QString themeName(Theme theme);
Theme themeFromName(const QString &name);

} // namespace portico::ui
