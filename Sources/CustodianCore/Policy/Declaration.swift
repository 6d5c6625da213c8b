/// What a use case does with what, declared once in the catalogue (`UseCase.declaration`). The
/// safeguards a use case passes are derived from this, never listed by name, so a new use case is
/// gated by what it says it does.
public struct Declaration: Sendable, Equatable {
    /// What the use case does with the data it touches.
    public enum Conduct: String, Sendable, Hashable, CaseIterable {
        case reads, writes, discloses, scores
    }

    /// The kinds of data a use case touches.
    public enum Data: String, Sendable, Hashable, CaseIterable {
        /// Register content about people: subjects, matters, links, items, flags, inclusions.
        case people
        /// Special-category data (s.35(8)): ethnicity, and equality events that carry it. Declared
        /// only by use cases that seal or open it: each of them reads whether a policy document is
        /// in force before it starts.
        case sensitive
        /// Rights requests and what is decided and answered on them.
        case rightsCases
        /// The rulebook, DPIA, policy documents, agreements, partners, breaches, alerts, baselines.
        case governanceRecords
        case auditLog
        /// Users, grants, tokens and sessions.
        case accounts
        /// Counts with no person in them.
        case aggregates
        /// The source register: who the register's sources are and how reliable. A compartment of
        /// its own: no use case that discloses or answers a person reads it.
        case sources
    }

    /// Whose need the use case meets: the DPIA stops operational processing, not the reading and
    /// reducing that rights, governance and oversight need while it is missing.
    public enum Serves: String, Sendable, Hashable, CaseIterable {
        /// Policing work on the register: recording, proposing, deciding, scoring, sharing.
        case operations
        /// The people on the register, through their rights.
        case rights
        /// The DPO and the board: configuration, assessments, breaches, equality.
        case governance
        /// Auditors and the regulator.
        case oversight
        /// A user's own account: signing in and out, their own tokens; and administration.
        case accounts
    }

    public let does: Set<Conduct>
    public let data: Set<Data>
    public let serves: Serves
    /// Only lessens what is held or done (erasure, restriction, removal, recall, suspension): never
    /// stopped by a missing DPIA, which exists to stop the opposite.
    public let reducesProcessing: Bool
    /// Cannot be undone once it takes effect (erasure, destruction).
    public let irreversible: Bool
    /// Gives someone more access or keeps data flowing longer than before.
    public let widensPrivilege: Bool

    public init(
        _ does: Set<Conduct>, _ data: Set<Data>, serves: Serves, reducesProcessing: Bool = false, irreversible: Bool = false,
        widensPrivilege: Bool = false
    ) {
        self.does = does
        self.data = data
        self.serves = serves
        self.reducesProcessing = reducesProcessing
        self.irreversible = irreversible
        self.widensPrivilege = widensPrivilege
    }

    /// Whether it touches people as people: their records, or a person's sensitive data. Counts by
    /// a sensitive characteristic (aggregates) describe no one.
    public var aboutPeople: Bool {
        data.contains(.people) || (data.contains(.sensitive) && !data.contains(.aggregates))
    }

    /// s.64: with no approved DPIA in date, no operational processing of people's data goes on
    /// beyond reading it: no collection, scoring, decision, combination or disclosure. Reading for
    /// rights and governance, and whatever only reduces processing, go on.
    public var requiresDPIA: Bool {
        serves == .operations && !reducesProcessing && (data.contains(.people) || data.contains(.sensitive))
            && !does.isDisjoint(with: [.writes, .discloses, .scores])
    }
}
