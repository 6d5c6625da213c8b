/// The approved data dictionary (R1): every kind of personal data the register holds, what it is
/// and under which heading of the law. The record of processing lists it; a test proves it covers
/// every field a person's record and a disclosure can carry, so it cannot fall behind the code.
public enum DataDictionary {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case identity
        /// Sensitive processing (s.35(8)): racial or ethnic origin.
        case sensitive
        case involvement
        case intelligence
        /// Derived by the register's own method: profiling (s.61(2)(g)).
        case derived
    }

    public struct Entry: Sendable, Codable, Equatable {
        public let field: String
        public let kind: Kind
        public let meaning: String
    }

    public static let entries: [Entry] = [
        Entry(field: "names", kind: .identity, meaning: "Given and family names"),
        Entry(field: "aliases", kind: .identity, meaning: "Other names the person is known by"),
        Entry(field: "nickname", kind: .identity, meaning: "A street or family name"),
        Entry(field: "dateOfBirth", kind: .identity, meaning: "Date of birth, where known"),
        Entry(field: "addresses", kind: .identity, meaning: "Home and other addresses"),
        Entry(field: "pncID", kind: .identity, meaning: "Police National Computer id"),
        Entry(field: "sex", kind: .identity, meaning: "Sex as recorded"),
        Entry(field: "officerDefinedEthnicity", kind: .sensitive, meaning: "Ethnicity as the officer saw it (IC codes)"),
        Entry(field: "selfDefinedEthnicity", kind: .sensitive, meaning: "Ethnicity as the person defined it (2021 Census categories)"),
        Entry(field: "matters", kind: .involvement, meaning: "Incidents, offences and reports, with the person's s.38(3) category on each"),
        Entry(field: "intelligence", kind: .intelligence, meaning: "Graded intelligence (3x5x2) with its provenance, fact or assessment"),
        Entry(field: "flags", kind: .intelligence, meaning: "Enforcement flags (e.g. knife carrier), each citing its evidence"),
        Entry(field: "harmScore", kind: .derived, meaning: "The harm score and its working, by the rulebook's published method"),
        Entry(
            field: "harmBand", kind: .derived,
            meaning:
                "Red, amber or green, from the harm score; kept in clear beside the sealed assessment, with whether the score is zero, for counting"
        ),
        Entry(
            field: "inclusion", kind: .derived, meaning: "Whether the person is included on the register, with its decisions and reviews"),
    ]

    /// The dictionary's field for each field a sharing agreement can allow.
    public static func field(for shared: SharedField) -> String {
        switch shared {
        case .name: "names"
        case .aliases: "aliases"
        case .nickname: "nickname"
        case .dateOfBirth: "dateOfBirth"
        case .sex: "sex"
        case .addresses: "addresses"
        case .pncId: "pncID"
        case .matters: "matters"
        case .intelligence: "intelligence"
        case .flags: "flags"
        case .harmBand: "harmBand"
        }
    }
}
