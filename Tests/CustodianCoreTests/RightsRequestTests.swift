import CustodianCore
import Foundation
import Testing

/// The statutory clock and the states of a rights request, as plain functions.
@Suite struct RightsRequestTests {
    func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    static func violations(_ body: () throws(RegisterError) -> Void) -> [FieldViolation] {
        do {
            try body()
            return []
        } catch {
            if case .invalid(let found) = error { return found }
            return []
        }
    }

    func user(_ role: Role) -> User {
        User(
            id: UserID(UUID()), username: "u", displayName: "U", role: role, unit: .central, trainingCompletedOn: day("2026-01-01"),
            permissions: [], disabledAt: nil, createdAt: Timestamp(microseconds: 0))
    }

    /// One month to the corresponding date, the month's last day when it has none, and a weekend
    /// deadline moved to the Monday.
    @Test(arguments: [
        ("2026-03-10", "2026-04-10"),  // Tuesday to Friday
        ("2026-01-31", "2026-03-02"),  // no 31 February: the 28th, a Saturday, so Monday 2 March
        ("2027-12-15", "2028-01-17"),  // across the year: 15 January 2028 is a Saturday, so Monday 17th
        ("2028-01-31", "2028-02-29"),  // leap year
        ("2026-07-04", "2026-08-04"),
    ])
    func theDeadlineIsOneCalendarMonth(_ start: String, _ due: String) {
        let computed = StatutoryPeriod.deadline(startingOn: day(start))
        #expect(computed == day(due))
        #expect(![.saturday, .sunday].contains(computed.weekday))
    }

    @Test func weekdaysAreRight() {
        #expect(day("1970-01-01").weekday == .thursday)
        #expect(day("2026-12-01").weekday == .tuesday)
        #expect(day("2000-02-29").weekday == .tuesday)
        #expect(day("1969-12-31").weekday == .wednesday)
    }

    /// The clock starts when identity is confirmed; before that nothing is due or overdue. An
    /// answer needs a reason; a request is closed once.
    @Test func theClockStartsWithIdentityAndEndsWithAWrittenAnswer() throws {
        let governance = user(.governance)
        let received = RightsRequest(id: RightsRequestID(UUID()), kind: .access, receivedOn: day("2026-03-02"), handler: governance.id)
        #expect(received.dueOn == nil && !received.isOverdue(on: day("2027-01-01")))
        #expect(throws: RegisterError.self) { try received.confirmingIdentity("seen", on: day("2026-03-03")) }
        #expect(throws: RegisterError.self) { try received.confirmingIdentity("Passport seen at the front counter", on: day("2026-03-01")) }
        #expect(throws: RegisterError.self) {
            try received.closing(refused: false, outcome: "Answered in full by post", on: day("2026-03-05"))
        }

        let open = try received.confirmingIdentity("Passport seen at the front counter", on: day("2026-03-09"))
        #expect(open.status == .open && open.dueOn == day("2026-04-09"))
        #expect(!open.isOverdue(on: day("2026-04-09")) && open.isOverdue(on: day("2026-04-10")))
        #expect(throws: RegisterError.self) { try open.confirmingIdentity("Passport seen again later", on: day("2026-03-10")) }
        #expect(throws: RegisterError.self) { try open.closing(refused: true, outcome: "No", on: day("2026-03-20")) }

        let refused = try open.closing(
            refused: true, outcome: "Neither confirm nor deny: s.45(4)(b) applies; ICO and court routes given", on: day("2026-03-20"))
        #expect(refused.status == .refused && !refused.isOverdue(on: day("2026-12-01")))
        #expect(throws: RegisterError.self) {
            try refused.closing(refused: false, outcome: "Answered after all, in writing", on: day("2026-03-21"))
        }
    }

    /// Withholding an item needs a statutory ground, a necessity note, governance and a review date.
    @Test func withholdingAnItemNeedsGroundNecessityAndAReviewDate() throws {
        let today = day("2026-06-01")
        let refused = Self.violations { () throws(RegisterError) in
            _ = try ItemRestriction.deciding(
                item: "intelligence/1", ground: "because", necessity: "short", by: user(.boroughSPOC), reviewOn: nil, today: today)
        }
        #expect(Set(refused.map { $0.field }) == ["ground", "necessity", "decidedBy", "reviewOn"])
        let kept = try ItemRestriction.deciding(
            item: "intelligence/1", ground: "prejudice-offences",
            necessity: "Disclosure would reveal a live investigation's source", by: user(.governance), reviewOn: day("2026-09-01"),
            today: today)
        #expect(kept.ground == .prejudiceOffences && kept.ground.statute.hasPrefix("s.45(4)(b)"))
    }
}
