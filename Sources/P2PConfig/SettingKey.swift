/// The name of one setting: an INI section and a key, e.g. `[Peer] Port`.
///
/// This is also the key the values are looked up under in swift-configuration (two components,
/// `["Peer", "Port"]`, spelled exactly as in the files), and it derives the environment variable
/// that can override the setting.
public struct SettingKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The INI section, e.g. `Peer`.
    public var section: String
    /// The key inside the section, e.g. `HeartbeatIntervalSec`.
    public var name: String

    /// Creates a setting key.
    public init(section: String, name: String) {
        self.section = section
        self.name = name
    }

    /// Parses the command-line spelling `Section.Key` (split at the first dot).
    public init?(dotted: String) {
        guard let dot = dotted.firstIndex(of: "."),
            dot != dotted.startIndex,
            dotted.index(after: dot) != dotted.endIndex
        else { return nil }
        self.init(section: String(dotted[..<dot]), name: String(dotted[dotted.index(after: dot)...]))
    }

    /// `Section.Key`, the spelling used on command lines and in messages.
    public var description: String { "\(section).\(name)" }

    /// The environment variable that overrides this setting.
    ///
    /// `P2P_` + section + `_` + key, with CamelCase split into words by underscores and everything
    /// upper-cased: `[Peer] Port` → `P2P_PEER_PORT`, `[Index] HeartbeatTTLSec` →
    /// `P2P_INDEX_HEARTBEAT_TTL_SEC`, `[Transfer] RateLimit` → `P2P_TRANSFER_RATE_LIMIT`.
    /// Because the index daemon's `[Index] Port` and a peer's `[Index] Port` (where the index is)
    /// share `P2P_INDEX_PORT`, one variable moves the index and points every peer at it.
    public var environmentVariable: String {
        "P2P_\(Self.screamingSnakeCase(section))_\(Self.screamingSnakeCase(name))"
    }

    /// `HeartbeatTTLSec` → `HEARTBEAT_TTL_SEC`: a word starts at an upper-case letter that follows
    /// a lower-case letter or digit, or that ends an acronym (is followed by a lower-case letter).
    static func screamingSnakeCase(_ word: String) -> String {
        let characters = Array(word)
        var result = ""
        for (index, character) in characters.enumerated() {
            if index > 0, character.isUppercase {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber
                    || (previous.isUppercase && next?.isLowercase == true)
                {
                    result.append("_")
                }
            }
            result.append(character.isLetter || character.isNumber ? Character(character.uppercased()) : "_")
        }
        return result
    }

    /// Orders by section, then key, for stable listings.
    public static func < (lhs: SettingKey, rhs: SettingKey) -> Bool {
        (lhs.section, lhs.name) < (rhs.section, rhs.name)
    }
}
