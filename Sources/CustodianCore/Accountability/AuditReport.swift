import Foundation

/// Governance's routine reading of the log (s.62(4)(b), self-monitoring), computed from the
/// entries of a period alone, so it is a plain function tested with hand-made entries. What it
/// flags is for a person to look into, never a finding.
public struct AuditReport: Sendable, Equatable, Codable {
    /// A user whose consultations in the period stand far above their peers (the same role):
    /// more than `volumeFactor` times the peers' median, and at least `volumeFloor`.
    public struct Volume: Sendable, Equatable, Codable {
        public let user: UserID
        public let role: Role
        public let consultations: Int
        public let peerMedian: Double
    }

    /// Consultations between 23:00 and 06:00 London time, with the busiest hour.
    public struct NightBurst: Sendable, Equatable, Codable {
        public let user: UserID
        public let nightConsultations: Int
        public let busiestHourCount: Int
        public let busiestHourStart: Timestamp
    }

    /// Attempts to reach another borough's records, refused by the scope rule.
    public struct OutsideBorough: Sendable, Equatable, Codable {
        public let user: UserID
        public let attempts: Int
    }

    /// A justification written in fewer than `shortJustification` characters, or the same words
    /// used on `repeatedDays` or more days (a stock phrase rather than a reason).
    public struct Justification: Sendable, Equatable, Codable {
        public let user: UserID
        public let text: String
        public let entries: Int
        public let days: Int
        public let tooShort: Bool
        public let repeated: Bool
    }

    public struct Count: Sendable, Equatable, Codable {
        public let key: String
        public let count: Int
    }

    public let from: Timestamp
    public let until: Timestamp
    public let entries: Int
    public let volume: [Volume]
    public let nightBursts: [NightBurst]
    public let outsideBorough: [OutsideBorough]
    public let justifications: [Justification]
    /// Disclosures by recipient (partner and agreement as logged).
    public let sharesByRecipient: [Count]
    /// Refusals by the rule that refused them.
    public let refusalsByRule: [Count]
    /// Whether the period held more entries than one report reads (the oldest were left out).
    public let truncated: Bool

    public static let volumeFactor = 3.0
    public static let volumeFloor = 20
    public static let burstThreshold = 10
    public static let shortJustification = 25
    public static let repeatedDays = 5

    private static let london = TimeZone(identifier: "Europe/London") ?? .gmt

    /// Hour of the day in London, 0-23.
    package static func londonHour(_ t: Timestamp) -> Int {
        let seconds = Int(t.microseconds / 1_000_000) + london.secondsFromGMT(for: t.date)
        return ((seconds % 86_400) + 86_400) % 86_400 / 3600
    }

    public static func compile(_ log: [AuditEntry], from: Timestamp, until: Timestamp, truncated: Bool = false) -> AuditReport {
        let consultations = log.filter { $0.operation == .consultation }
        // Volume against peers of the same role.
        var perUser: [UserID: (role: Role, count: Int)] = [:]
        for e in consultations { perUser[e.actor, default: (e.role, 0)].count += 1 }
        let byRole = Dictionary(grouping: perUser, by: \.value.role)
        var volume: [Volume] = []
        for (user, figures) in perUser {
            let peers = (byRole[figures.role] ?? []).filter { $0.key != user }.map { Double($0.value.count) }.sorted()
            guard !peers.isEmpty else { continue }
            let median = peers.count % 2 == 1 ? peers[peers.count / 2] : (peers[peers.count / 2 - 1] + peers[peers.count / 2]) / 2
            if figures.count >= volumeFloor, Double(figures.count) > volumeFactor * median {
                volume.append(Volume(user: user, role: figures.role, consultations: figures.count, peerMedian: median))
            }
        }
        // Night-time bursts: the busiest sliding hour of night consultations.
        var nights: [NightBurst] = []
        for (user, entries) in Dictionary(grouping: consultations.filter { londonHour($0.at) >= 23 || londonHour($0.at) < 6 }, by: \.actor)
        {
            let times = entries.map(\.at).sorted()
            var best = (count: 0, start: times[0])
            var first = 0
            for last in times.indices {
                while times[last].microseconds - times[first].microseconds >= 3_600_000_000 { first += 1 }
                if last - first + 1 > best.count { best = (last - first + 1, times[first]) }
            }
            if best.count >= burstThreshold {
                nights.append(
                    NightBurst(user: user, nightConsultations: times.count, busiestHourCount: best.count, busiestHourStart: best.start))
            }
        }
        let outside = Dictionary(
            grouping: log.filter { $0.refusedUnder == AccessPolicy.scopeRule }, by: \.actor
        )
        .map { OutsideBorough(user: $0.key, attempts: $0.value.count) }
        // Justifications, per user and text.
        var justifications: [Justification] = []
        let justified = log.filter { $0.justification != nil && $0.operation != .refusal }
        for ((user, text), entries) in Dictionary(
            grouping: justified, by: { JustificationKey(user: $0.actor, text: $0.justification ?? "") }
        ).map({
            (($0.key.user, $0.key.text), $0.value)
        }) {
            let days = Set(entries.map(\.at.day)).count
            let tooShort = text.count < shortJustification
            let repeated = days >= repeatedDays
            if tooShort || repeated {
                justifications.append(
                    Justification(user: user, text: text, entries: entries.count, days: days, tooShort: tooShort, repeated: repeated))
            }
        }
        func counts(_ keys: [String]) -> [Count] {
            Dictionary(grouping: keys, by: { $0 }).map { Count(key: $0.key, count: $0.value.count) }
                .sorted { ($1.count, $0.key) < ($0.count, $1.key) }
        }
        return AuditReport(
            from: from, until: until, entries: log.count,
            volume: volume.sorted { ($1.consultations, $0.user.description) < ($0.consultations, $1.user.description) },
            nightBursts: nights.sorted { ($1.busiestHourCount, $0.user.description) < ($0.busiestHourCount, $1.user.description) },
            outsideBorough: outside.sorted { ($1.attempts, $0.user.description) < ($0.attempts, $1.user.description) },
            justifications: justifications.sorted { ($1.entries, $0.text) < ($0.entries, $1.text) },
            sharesByRecipient: counts(log.filter { $0.operation == .disclosure }.map { $0.recipient ?? "(not named)" }),
            refusalsByRule: counts(
                log.filter { $0.operation == .refusal }.map { $0.refusedUnder?.rawValue ?? "no rule named" }),
            truncated: truncated)
    }
}

private struct JustificationKey: Hashable {
    let user: UserID
    let text: String
}
