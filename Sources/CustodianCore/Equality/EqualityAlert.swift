import Foundation

public typealias EqualityAlertID = Identifier<EqualityAlert>

/// A relative rate whose 95% interval lies wholly above the rulebook's threshold in a calendar
/// quarter (E3). Governance must answer it with a documented response: the reason accepted (or
/// not), the action taken, and when it will be looked at again. Unanswered, or past its review
/// date, it stays on the dashboard and no new rulebook version can be approved (the duty is
/// continuing, *Bridges* para 181).
public struct EqualityAlert: Sendable, Codable, Equatable {
    public struct Response: Sendable, Codable, Equatable {
        /// Why the disparity is, or is not, explained: what was looked at.
        public let reason: String
        /// What is being done about it (or why nothing).
        public let action: String
        public let reviewOn: LocalDate
        public let by: UserID
        public let at: Timestamp
    }

    public let id: EqualityAlertID
    /// The quarter: its first and last days.
    public let from: LocalDate
    public let until: LocalDate
    public let finding: EqualityReport.Finding
    public let threshold: Double
    public let rulebookVersion: Int
    public let raisedAt: Timestamp
    public private(set) var responses: [Response]

    public init(
        id: EqualityAlertID, from: LocalDate, until: LocalDate, finding: EqualityReport.Finding, threshold: Double, rulebookVersion: Int,
        raisedAt: Timestamp, responses: [Response] = []
    ) {
        (self.id, self.from, self.until, self.finding, self.threshold) = (id, from, until, finding, threshold)
        (self.rulebookVersion, self.raisedAt, self.responses) = (rulebookVersion, raisedAt, responses)
    }

    /// One alert per quarter, area, stage, characteristic and group: raising it again adds nothing.
    public var key: String {
        "\(from)/\(finding.borough?.rawValue ?? "london")/\(finding.stage.rawValue)/\(finding.characteristic.rawValue)/\(finding.group)"
    }

    /// Waiting for governance: never answered, or its last answer's review date has come.
    public func isAwaitingResponse(on day: LocalDate) -> Bool { responses.last.map { $0.reviewOn <= day } ?? true }

    public var headline: String {
        let area = finding.borough?.name ?? "London"
        return
            "\(area), \(finding.stage.label.lowercased()): \(finding.characteristic.label(of: finding.group)) (\(finding.characteristic.label.lowercased())) \(String(format: "%.1f", finding.relativeRate)) times the reference group's rate (95% interval \(String(format: "%.1f", finding.lower95)) to \(String(format: "%.1f", finding.upper95)))"
    }

    /// Governance answers. Each field says what, not that: a response of a few words is no response.
    public func answering(reason: String, action: String, reviewOn: String, by user: User, at now: Timestamp) throws(RegisterError)
        -> EqualityAlert
    {
        try AccessPolicy.require(user, runs: .equalityAlertAnswer)
        var v = Validator()
        let reasonText = v.text(reason, "reason", max: 4000)
        let actionText = v.text(action, "action", max: 4000)
        for (field, text) in [("reason", reasonText), ("action", actionText)] {
            if let text, text.count < 30 {
                v.fail(field, "equality.response-substance", "\(field) needs at least 30 characters: say what was found and done")
            }
        }
        let review = LocalDate(iso: reviewOn)
        v.check(review != nil, "reviewOn", "date.format", "reviewOn must be a date as YYYY-MM-DD")
        if let review {
            v.check(
                review > now.day && review <= now.day.adding(days: 366), "reviewOn", "equality.review",
                "the review date is after today and within a year")
        }
        let (r, a, d) = try v.finish(reasonText, actionText, review)
        var next = self
        next.responses.append(Response(reason: r, action: a, reviewOn: d, by: user.id, at: now))
        return next
    }
}

/// The calendar quarter containing a day, as equality reports are published.
public struct Quarter: Sendable, Hashable {
    public let from: LocalDate
    /// The quarter's last day.
    public let until: LocalDate

    public init(containing day: LocalDate) {
        let firstMonth = (day.month - 1) / 3 * 3 + 1
        // Always valid dates: the first of a month; the fallbacks are never taken.
        from = LocalDate(year: day.year, month: firstMonth, day: 1) ?? day
        let next =
            (firstMonth == 10 ? LocalDate(year: day.year + 1, month: 1, day: 1) : LocalDate(year: day.year, month: firstMonth + 3, day: 1))
            ?? day.adding(days: 1)
        until = next.adding(days: -1)
    }

    public var previous: Quarter { Quarter(containing: from.adding(days: -1)) }
    public var label: String { "\(from.year) Q\((from.month - 1) / 3 + 1)" }
}
