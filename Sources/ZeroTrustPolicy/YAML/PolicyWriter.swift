/// Writes a ``PolicySet`` as policy YAML that ``PolicyLoader`` reads back to an equal set.
///
/// The output is canonical (fixed key order, windows sorted by name, resource attributes sorted
/// by key, every string double-quoted), so it is also the input of ``PolicySet/contentHash``.
public enum PolicyWriter {
    /// The canonical YAML text of `set`.
    public static func yaml(for set: PolicySet) -> String {
        var out = "version: \(set.version)\n"
        out += "defaults:\n  ttl: \(set.defaults.ttl)\n  timezone: \(quote(set.defaults.timeZone))\n"
        if !set.timeWindows.isEmpty {
            out += "time_windows:\n"
            for name in set.timeWindows.keys.sorted() {
                guard let w = set.timeWindows[name] else { continue }
                out += "  \(quote(name)):\n"
                out += "    days: [\(w.days.map(\.description).joined(separator: ", "))]\n"
                out += "    start: \(quote(w.start.description))\n    end: \(quote(w.end.description))\n"
                if let tz = w.timeZone { out += "    timezone: \(quote(tz))\n" }
            }
        }
        out += set.policies.isEmpty ? "policies: []\n" : "policies:\n"
        for p in set.policies {
            out += "  - id: \(quote(p.id))\n    effect: \(p.effect.rawValue)\n"
            if let d = p.description { out += "    description: \(quote(d))\n" }
            let subjects = p.subjects.roles.map { "role: \(quote($0.rawValue))" }
                + p.subjects.approvals.map { "approval: \(quote($0.rawValue))" }
            out += subjects.isEmpty ? "    subjects: []\n" : "    subjects:\n"
            for s in subjects { out += "      - \(s)\n" }
            out += p.resources.isEmpty ? "    resources: []\n" : "    resources:\n"
            for r in p.resources {
                out += "      - type: \(quote(r.type.rawValue))\n"
                for key in r.attributes.keys.sorted() {
                    out += "        \(quote(key)): \(quote(r.attributes[key] ?? ""))\n"
                }
            }
            out += "    actions: [\(p.actions.map { quote($0.rawValue) }.joined(separator: ", "))]\n"
            if !p.conditions.isEmpty {
                out += "    conditions:\n"
                for c in p.conditions {
                    switch c {
                    case let .ipRange(blocks):
                        out += "      - ip_range: "
                        out += blocks.count == 1 ? quote(blocks[0].description) : "[\(blocks.map { quote($0.description) }.joined(separator: ", "))]"
                        out += "\n"
                    case let .timeWindow(name): out += "      - time_window: \(quote(name))\n"
                    case let .mfaRequired(flag): out += "      - mfa_required: \(flag)\n"
                    case let .auditLogged(flag): out += "      - audit_logged: \(flag)\n"
                    }
                }
            }
            if let ttl = p.ttl { out += "    ttl: \(ttl)\n" }
        }
        return out
    }

    /// A YAML double-quoted scalar.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
