public import Foundation

public typealias BreachID = Identifier<Breach>

/// A personal data breach (ss.67-68), from the report of anyone who suspects one to the entry in
/// the breach register: the 72-hour clock from awareness, what was contained, the scope computed
/// from the audit log, each phase of the notification to the ICO (with the reasons for any delay)
/// or the reasons for not notifying, and the decision whether to tell the people affected. Every
/// breach stays in the register (s.67(6)), notified or not.
public struct Breach: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Reported; governance has not yet acted.
        case reported
        /// The disclosures and accounts involved are shut off.
        case contained
        /// The ICO has been told (at least a first phase), or governance recorded why not.
        case decided
        /// The people affected have been considered (s.68): the register entry is complete.
        case closed
    }

    /// What containment shut off, and when.
    public struct Containment: Sendable, Codable, Equatable {
        public let at: Timestamp
        public let by: UserID
        public let recalled: [DisclosureID]
        public let disabledUsers: [UserID]
    }

    /// Who and what the breach touched: what the accounts involved read or disclosed from the
    /// start of the breach's period until containment shut them off (or until the scope is
    /// computed, if it has not), and what the disclosures involved carried. A refused attempt
    /// touched nothing and counts for nothing.
    public struct Scope: Sendable, Codable, Equatable {
        public let computedAt: Timestamp
        public let from: Timestamp
        public let until: Timestamp
        public let subjects: [SubjectID]
        /// Records about people, each by kind and id; a disclosed record as its disclosure with the
        /// record's reference as the part. Lists and searches are not records and are not here.
        public let records: [AuditResource]
        public let recipients: [String]
        public let users: [UserID]
        public let entries: Int
        /// What was read or disclosed after the breach was reported: the harm containment exists
        /// to stop, shown apart so governance sees whether it went on.
        public let afterReport: AfterReport?
    }

    /// Whether an entry of this operation put a person's data in front of someone: reads,
    /// combinations and disclosures do; a refusal, a write or an erasure does not.
    static func exposes(_ operation: AuditEntry.Operation) -> Bool {
        switch operation {
        case .consultation, .disclosure, .combination: true
        case .collection, .alteration, .erasure, .userChange, .configurationChange, .refusal, .backup: false
        }
    }

    public struct AfterReport: Sendable, Codable, Equatable {
        public let subjects: [SubjectID]
        public let entries: Int
    }

    /// One phase of the s.67(4) notification: facts may still be coming (s.67(5)).
    public struct Notification: Sendable, Codable, Equatable {
        public let phase: Int
        public let at: Timestamp
        public let by: UserID
        public let nature: String
        public let approximateSubjects: Int
        public let approximateRecords: Int
        public let contact: String
        public let consequences: String
        public let measures: String
        /// Required once the 72 hours have passed (s.67(3)).
        public let delayReason: String?
    }

    /// The s.68 decision: tell the people affected, or not, and why (a restriction names its ground).
    public struct PeopleDecision: Sendable, Codable, Equatable {
        public let tell: Bool
        public let reason: String
        public let ground: RestrictionGround?
        public let by: UserID
        public let at: Timestamp
    }

    public let id: BreachID
    public let reportedBy: UserID
    public let reportedAt: Timestamp
    /// When the controller became aware: the clock starts here.
    public let awareAt: Timestamp
    public let description: String
    public let disclosures: [DisclosureID]
    public let users: [UserID]
    public let from: Timestamp
    public let until: Timestamp
    public private(set) var containment: Containment?
    public private(set) var scope: Scope?
    public private(set) var notifications: [Notification] = []
    /// Why the ICO was not told, where governance decided the breach is unlikely to result in a risk.
    public private(set) var notNotifiedReason: String?
    public private(set) var people: PeopleDecision?
    public private(set) var status: Status = .reported

    public static let clockHours = 72

    /// The s.67(1) deadline: 72 hours from awareness.
    public var deadline: Timestamp { awareAt.adding(seconds: Int64(Self.clockHours) * 3600) }

    /// Whether the ICO has been told, or governance decided it need not be.
    public var notificationDecided: Bool { !notifications.isEmpty || notNotifiedReason != nil }

    /// Whole hours left on the clock (negative once past), until a notification decision stops it.
    public func hoursLeft(at now: Timestamp) -> Int? {
        guard !notificationDecided else { return nil }
        return Int((deadline.microseconds - now.microseconds) / 3_600_000_000)
    }

    public func isOverdue(at now: Timestamp) -> Bool { !notificationDecided && now > deadline }

    public static func reporting(_ r: BreachReport, id: BreachID, by user: User, at now: Timestamp) throws(RegisterError) -> Breach {
        var v = Validator()
        let text = v.text(r.description, "description", max: 4000)
        if let text, text.count < 20 { v.fail("description", "breach.description", "say what happened, in at least 20 characters") }
        let disclosures: [DisclosureID] = v.ids(r.disclosureIDs, "disclosureIds")
        let users: [UserID] = v.ids(r.userIDs, "userIds")
        v.check(
            disclosures.count <= 100 && users.count <= 100, "disclosureIds", "breach.size", "name at most 100 disclosures and 100 users")
        let aware = r.awareAt.map(Timestamp.init) ?? now
        v.check(aware <= now, "awareAt", "breach.awareness", "awareness cannot be in the future")
        let from = r.from.map(Timestamp.init) ?? aware.adding(seconds: -30 * 86_400)
        let until = r.until.map(Timestamp.init) ?? now
        v.check(from <= until, "from", "breach.period", "the period must start before it ends")
        v.check(until.microseconds - from.microseconds <= 366 * 86_400 * 1_000_000, "from", "breach.period", "the period is at most a year")
        let description = try v.finish(text)
        return Breach(
            id: id, reportedBy: user.id, reportedAt: now, awareAt: aware, description: description, disclosures: disclosures,
            users: users, from: from, until: until)
    }

    func containing(_ containment: Containment) throws(RegisterError) -> Breach {
        guard self.containment == nil else { throw .conflict("this breach is already contained") }
        var next = self
        next.containment = containment
        if next.status == .reported { next.status = .contained }
        return next
    }

    func scoped(_ scope: Scope) -> Breach {
        var next = self
        next.scope = scope
        return next
    }

    /// A phase of the notification to the ICO, assembled from the scope and what governance adds.
    func notifying(_ n: NotificationDraft, phase: Int, by user: User, at now: Timestamp) throws(RegisterError) -> Breach {
        guard let scope else { throw .conflict("compute the scope from the audit log before notifying") }
        guard people == nil else { throw .conflict("this breach's register entry is closed") }
        var v = Validator()
        let consequences = v.decisionReason(n.consequences, "consequences")
        let measures = v.decisionReason(n.measures, "measures")
        let delay = v.text(n.delayReason, "delayReason", max: 2000, required: false)
        if now > deadline, delay == nil {
            v.fail("delayReason", "breach.delay", "the 72 hours have passed: give the reasons for the delay (s.67(3))")
        }
        let (c, m) = try v.finish(consequences, measures)
        var next = self
        next.notifications.append(
            Notification(
                phase: phase, at: now, by: user.id, nature: description, approximateSubjects: scope.subjects.count,
                approximateRecords: scope.records.count, contact: RecordOfProcessing.dataProtectionOfficer, consequences: c, measures: m,
                delayReason: delay))
        next.status = .decided
        return next
    }

    /// Not notified: the breach is unlikely to result in a risk to people's rights (s.67(1)). Kept
    /// in the register with the reason.
    func notNotifying(reason: String) throws(RegisterError) -> Breach {
        guard notifications.isEmpty else { throw .conflict("the ICO has already been notified of this breach") }
        var v = Validator()
        let text = v.decisionReason(reason)
        let why = try v.finish(text)
        var next = self
        (next.notNotifiedReason, next.status) = (why, .decided)
        return next
    }

    func decidingPeople(_ decision: PeopleDecision) throws(RegisterError) -> Breach {
        guard notificationDecided else { throw .conflict("decide on notifying the ICO first") }
        guard people == nil else { throw .conflict("the people affected have already been considered") }
        var next = self
        (next.people, next.status) = (decision, .closed)
        return next
    }
}

/// What anyone reporting a suspected breach says.
public struct BreachReport: Sendable {
    public var description: String
    public var disclosureIDs: [String]
    public var userIDs: [String]
    public var awareAt: Date?
    public var from: Date?
    public var until: Date?

    public init(
        description: String, disclosureIDs: [String] = [], userIDs: [String] = [], awareAt: Date? = nil, from: Date? = nil,
        until: Date? = nil
    ) {
        (self.description, self.disclosureIDs, self.userIDs) = (description, disclosureIDs, userIDs)
        (self.awareAt, self.from, self.until) = (awareAt, from, until)
    }
}

public struct NotificationDraft: Sendable {
    public var consequences: String
    public var measures: String
    public var delayReason: String?

    public init(consequences: String, measures: String, delayReason: String? = nil) {
        (self.consequences, self.measures, self.delayReason) = (consequences, measures, delayReason)
    }
}
