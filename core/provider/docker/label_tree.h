#pragma once

#include "core/common/error.h"

#include <QString>

#include <map>
#include <optional>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace portico::provider::docker {

/// One level of the tree that dotted labels describe (`traefik.http.routers.web.rule=…` gives
/// http → routers → web → rule). Keys are matched case-insensitively, as Traefik's label decoder
/// does: the spelling of the first label in sorted order is kept.
struct LabelNode
{
    std::optional<QString> value; ///< the label value, for a leaf
    std::vector<std::pair<QString, LabelNode>> children; ///< mapping, in insertion order
    std::map<int, LabelNode> elements; ///< `name[n]` list elements
    bool isList = false;

    /// The child under `key` (case-insensitive), or null.
    LabelNode *find(const QString &key);
    const LabelNode *find(const QString &key) const;
    /// The child under `key`, created (spelled `key`) when absent.
    LabelNode &child(const QString &key);
    /// Removes the child under `key` (case-insensitive); true when there was one.
    bool remove(const QString &key);
    /// A leaf whose value is `true`: the "allowEmpty" sections (`tls`, `sticky`) switch on so.
    bool isTrueLeaf() const;
    /// The equivalent YAML (maps, sequences and string scalars) for the dynamic-config schema.
    YAML::Node toYaml() const;
};

/// The `traefik.*` labels of one container, decoded.
struct LabelTree
{
    std::optional<QString> enable; ///< `traefik.enable` as written
    QString network; ///< `traefik.docker.network`
    LabelNode root; ///< `http` (only; see unsupported)
    /// Lower-cased config path (`http.routers.web.rule`) → the label as written.
    std::map<QString, QString> labelOf;
    /// Label problems found while decoding (empty segments, a key both value and section).
    std::vector<Error> errors;
    /// `traefik.tcp.*`, `traefik.udp.*`, `traefik.tls.*` labels: valid Traefik, not served here.
    std::vector<QString> unsupported;
};

/// Decodes every label starting with `traefik.` (case-insensitive); other labels are ignored.
/// `where` names the container in errors (`container "web1"`).
LabelTree decodeLabels(const std::map<QString, QString> &labels, const QString &where);

/// Go's strconv.ParseBool, which Traefik uses for `traefik.enable`.
std::optional<bool> parseGoBool(const QString &text);

} // namespace portico::provider::docker
