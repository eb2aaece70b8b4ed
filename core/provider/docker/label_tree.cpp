#include "core/provider/docker/label_tree.h"

#include <QRegularExpression>
#include <QStringList>

namespace portico::provider::docker {

LabelNode *LabelNode::find(const QString &key)
{
    for (auto &[name, node] : children) {
        if (name.compare(key, Qt::CaseInsensitive) == 0)
            return &node;
    }
    return nullptr;
}

const LabelNode *LabelNode::find(const QString &key) const
{
    return const_cast<LabelNode *>(this)->find(key);
}

LabelNode &LabelNode::child(const QString &key)
{
    if (LabelNode *existing = find(key))
        return *existing;
    children.emplace_back(key, LabelNode {});
    return children.back().second;
}

bool LabelNode::remove(const QString &key)
{
    for (auto it = children.begin(); it != children.end(); ++it) {
        if (it->first.compare(key, Qt::CaseInsensitive) == 0) {
            children.erase(it);
            return true;
        }
    }
    return false;
}

bool LabelNode::isTrueLeaf() const
{
    return value && children.empty() && !isList
        && value->trimmed().compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}

YAML::Node LabelNode::toYaml() const
{
    if (isList) {
        YAML::Node list(YAML::NodeType::Sequence);
        for (const auto &[index, element] : elements)
            list.push_back(element.toYaml());
        return list;
    }
    if (children.empty())
        return value ? YAML::Node(value->toStdString()) : YAML::Node(YAML::NodeType::Map);
    YAML::Node map(YAML::NodeType::Map);
    for (const auto &[key, node] : children)
        map[key.toStdString()] = node.toYaml();
    return map;
}

namespace {

/// `domains[0]` → ("domains", 0); a plain segment gives index -1.
std::pair<QString, int> splitIndex(const QString &segment)
{
    static const QRegularExpression indexed(QStringLiteral("^(.+)\\[(\\d{1,4})\\]$"));
    const QRegularExpressionMatch m = indexed.match(segment);
    if (!m.hasMatch())
        return { segment, -1 };
    return { m.captured(1), m.captured(2).toInt() };
}

Error labelError(const QString &where, const QString &label, const QString &message)
{
    return Error { message, { QStringLiteral("%1 label \"%2\"").arg(where, label), 0, 0, {} }, {} };
}

/// Walks (creating) the path of `segments` below `root`; null when a segment is a value already.
LabelNode *walk(LabelNode &root, const QStringList &segments, QString &path)
{
    LabelNode *node = &root;
    for (const QString &segment : segments) {
        const auto [key, index] = splitIndex(segment);
        // An "allowEmpty" section given as `true` and refined by deeper labels is a section.
        if (node->isTrueLeaf())
            node->value.reset();
        if (node->value)
            return nullptr;
        node = &node->child(key);
        path += (path.isEmpty() ? QString() : QStringLiteral(".")) + key.toLower();
        if (index >= 0) {
            if (node->value)
                return nullptr;
            node->isList = true;
            node = &node->elements[index];
            path += u'[' + QString::number(index) + u']';
        }
    }
    return node;
}

void insert(LabelTree &tree, const QString &label, const QString &value, const QString &where)
{
    const QStringList segments = label.split(u'.').mid(1);
    if (segments.contains(QString())) {
        tree.errors.push_back(labelError(where, label, QStringLiteral("empty segment in label")));
        return;
    }
    QString path;
    LabelNode *node = walk(tree.root, segments, path);
    const bool clash = !node
        || (!node->children.empty() && value.trimmed() != QLatin1String("true")) || node->isList;
    if (clash) {
        tree.errors.push_back(labelError(
            where, label, QStringLiteral("\"%1\" is both a value and a section").arg(label)));
        return;
    }
    if (node->children.empty())
        node->value = value;
    tree.labelOf.emplace(path, label);
}

} // namespace

std::optional<bool> parseGoBool(const QString &text)
{
    static const QStringList yes = { QStringLiteral("1"), QStringLiteral("t"), QStringLiteral("T"),
        QStringLiteral("TRUE"), QStringLiteral("true"), QStringLiteral("True") };
    static const QStringList no = { QStringLiteral("0"), QStringLiteral("f"), QStringLiteral("F"),
        QStringLiteral("FALSE"), QStringLiteral("false"), QStringLiteral("False") };
    if (yes.contains(text))
        return true;
    if (no.contains(text))
        return false;
    return std::nullopt;
}

LabelTree decodeLabels(const std::map<QString, QString> &labels, const QString &where)
{
    LabelTree tree;
    for (const auto &[label, value] : labels) {
        const QString lower = label.toLower();
        if (!lower.startsWith(QLatin1String("traefik.")))
            continue;
        if (lower == QLatin1String("traefik.enable"))
            tree.enable = value;
        else if (lower == QLatin1String("traefik.docker.network"))
            tree.network = value;
        else if (lower.startsWith(QLatin1String("traefik.http.")))
            insert(tree, label, value, where);
        else if (lower.startsWith(QLatin1String("traefik.tcp."))
            || lower.startsWith(QLatin1String("traefik.udp."))
            || lower.startsWith(QLatin1String("traefik.tls.")))
            tree.unsupported.push_back(label);
        // Other traefik.* keys (traefik.docker.lbswarm, …) are ignored, as Traefik does.
    }
    return tree;
}

} // namespace portico::provider::docker
