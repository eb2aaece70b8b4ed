#include "core/provider/docker/default_rule.h"

#include <QStringList>

#include <optional>
#include <variant>
#include <vector>

namespace portico::provider::docker {

namespace {

/// A template value: a string, or the `.Labels` map (only `index` takes it).
using Value = std::variant<QString, const std::map<QString, QString> *>;

Error templateError(const QString &message, const QString &hint = {})
{
    return Error { message, { QString(), 0, 0, QStringLiteral("defaultRule") }, hint };
}

/// Splits one action into words; quoted strings stay whole (quotes kept), `|` is its own word.
Expected<QStringList> tokenize(const QString &action)
{
    QStringList words;
    QString current;
    for (qsizetype i = 0; i < action.size(); ++i) {
        const QChar c = action.at(i);
        if (c == u'"' || c == u'`') {
            const qsizetype end = action.indexOf(c, i + 1);
            if (end < 0)
                return templateError(QStringLiteral("unterminated string in \"%1\"").arg(action));
            current += action.mid(i, end - i + 1);
            i = end;
        } else if (c.isSpace() || c == u'|') {
            if (!current.isEmpty())
                words.append(std::exchange(current, QString()));
            if (c == u'|')
                words.append(QStringLiteral("|"));
        } else {
            current += c;
        }
    }
    if (!current.isEmpty())
        words.append(current);
    return words;
}

Expected<Value> operand(const QString &word, const RuleTemplateData &data)
{
    if (word.size() >= 2 && (word.front() == u'"' || word.front() == u'`'))
        return Value(word.mid(1, word.size() - 2));
    if (word == QLatin1String(".Name"))
        return Value(data.name);
    if (word == QLatin1String(".ContainerName"))
        return Value(data.containerName);
    if (word == QLatin1String(".Labels"))
        return Value(&data.labels);
    if (word.startsWith(QLatin1String(".Labels."))) {
        const auto it = data.labels.find(word.mid(8));
        return Value(it == data.labels.end() ? QString() : it->second);
    }
    return templateError(QStringLiteral("unsupported template value \"%1\"").arg(word));
}

Expected<QString> stringArg(const Value &value, const QString &function)
{
    if (const QString *text = std::get_if<QString>(&value))
        return *text;
    return templateError(QStringLiteral("\"%1\" expects a string, got .Labels").arg(function));
}

/// Applies `function` to already evaluated arguments (a piped value comes last, as in Go).
Expected<Value> call(const QString &function, const std::vector<Value> &args)
{
    const auto arity = [&](size_t n) -> std::optional<Error> {
        if (args.size() == n)
            return std::nullopt;
        return templateError(QStringLiteral("\"%1\" takes %2 argument(s), got %3")
                                 .arg(function)
                                 .arg(n)
                                 .arg(args.size()));
    };
    if (function == QLatin1String("index")) {
        if (auto bad = arity(2))
            return *bad;
        const auto *map = std::get_if<const std::map<QString, QString> *>(&args[0]);
        const QString *key = std::get_if<QString>(&args[1]);
        if (!map || !key)
            return templateError(QStringLiteral("\"index\" expects .Labels and a key"));
        const auto it = (*map)->find(*key);
        return Value(it == (*map)->end() ? QString() : it->second);
    }
    std::vector<QString> s;
    for (const Value &arg : args) {
        Expected<QString> text = stringArg(arg, function);
        if (!text)
            return text.error();
        s.push_back(*text);
    }
    using Unary = QString (*)(const QString &);
    static const std::map<QString, Unary> unary {
        { QStringLiteral("normalize"), [](const QString &v) { return normalizeName(v); } },
        { QStringLiteral("lower"), [](const QString &v) { return v.toLower(); } },
        { QStringLiteral("upper"), [](const QString &v) { return v.toUpper(); } },
        { QStringLiteral("trim"), [](const QString &v) { return v.trimmed(); } },
    };
    if (const auto it = unary.find(function); it != unary.end()) {
        if (auto bad = arity(1))
            return *bad;
        return Value(it->second(s[0]));
    }
    if (function == QLatin1String("trimPrefix") || function == QLatin1String("trimSuffix")) {
        if (auto bad = arity(2))
            return *bad;
        QString v = s[1];
        if (function == QLatin1String("trimPrefix") && v.startsWith(s[0]))
            v.remove(0, s[0].size());
        else if (function == QLatin1String("trimSuffix") && v.endsWith(s[0]))
            v.chop(s[0].size());
        return Value(v);
    }
    if (function == QLatin1String("replace")) {
        if (auto bad = arity(3))
            return *bad;
        return Value(QString(s[2]).replace(s[0], s[1]));
    }
    if (function == QLatin1String("default")) {
        if (auto bad = arity(2))
            return *bad;
        return Value(s[1].isEmpty() ? s[0] : s[1]);
    }
    return templateError(QStringLiteral("unsupported template function \"%1\"").arg(function),
        QStringLiteral("supported: normalize, lower, upper, trim, trimPrefix, trimSuffix, "
                       "replace, default, index"));
}

/// One command of a pipeline: a lone operand, or a function and its arguments.
Expected<Value> command(
    const QStringList &words, const std::optional<Value> &piped, const RuleTemplateData &data)
{
    if (words.isEmpty())
        return templateError(QStringLiteral("empty command in pipeline"));
    const QString &head = words.front();
    const bool isFunction
        = !head.startsWith(u'.') && !head.startsWith(u'"') && !head.startsWith(u'`');
    if (!isFunction) {
        if (words.size() > 1 || piped)
            return templateError(QStringLiteral("cannot call \"%1\"").arg(head));
        return operand(head, data);
    }
    std::vector<Value> args;
    for (qsizetype i = 1; i < words.size(); ++i) {
        Expected<Value> v = operand(words[i], data);
        if (!v)
            return v.error();
        args.push_back(*v);
    }
    if (piped)
        args.push_back(*piped);
    return call(head, args);
}

Expected<QString> evaluate(const QString &action, const RuleTemplateData &data)
{
    Expected<QStringList> words = tokenize(action);
    if (!words)
        return words.error();
    std::optional<Value> value;
    QStringList current;
    for (qsizetype i = 0; i <= words->size(); ++i) {
        if (i < words->size() && words->at(i) != QLatin1String("|")) {
            current.append(words->at(i));
            continue;
        }
        Expected<Value> v = command(current, value, data);
        if (!v)
            return v.error();
        value = *v;
        current.clear();
    }
    return stringArg(*value, QStringLiteral("{{ }}"));
}

} // namespace

QString normalizeName(const QString &name)
{
    QStringList pieces;
    QString current;
    for (const QChar c : name) {
        if (c.isLetterOrNumber())
            current += c;
        else if (!current.isEmpty())
            pieces.append(std::exchange(current, QString()));
    }
    if (!current.isEmpty())
        pieces.append(current);
    return pieces.join(u'-');
}

Expected<QString> renderDefaultRule(const QString &text, const RuleTemplateData &data)
{
    QString out;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype open = text.indexOf(QLatin1String("{{"), pos);
        if (open < 0) {
            out += text.mid(pos);
            break;
        }
        const qsizetype close = text.indexOf(QLatin1String("}}"), open + 2);
        if (close < 0)
            return templateError(QStringLiteral("unclosed action in \"%1\"").arg(text));
        QString action = text.mid(open + 2, close - open - 2);
        QString literal = text.mid(pos, open - pos);
        // `{{- ` and ` -}}` trim the white space next to the action, as in Go.
        if (action.startsWith(QLatin1String("- "))) {
            while (!literal.isEmpty() && literal.back().isSpace())
                literal.chop(1);
            action.remove(0, 1);
        }
        pos = close + 2;
        if (action.endsWith(QLatin1String(" -"))) {
            action.chop(1);
            while (pos < text.size() && text.at(pos).isSpace())
                ++pos;
        }
        out += literal;
        Expected<QString> value = evaluate(action.trimmed(), data);
        if (!value)
            return value.error();
        out += *value;
    }
    return out;
}

} // namespace portico::provider::docker
