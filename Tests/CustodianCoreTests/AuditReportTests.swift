import CustodianCore
import Foundation
import Testing

/// The routine audit report is a plain function of the log: each flag tested with entries made
/// by hand, on both sides of its line.
@Suite struct AuditReportTests {
    static let day = LocalDate(knownValid: 2026, 11, 10)
    static func user(_ n: Int, _ role: Role = .boroughOfficer) -> User {
        User(
            id: UserID(UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(n)))), username: "user\(n)", displayName: "User \(n)",
            role: role, unit: .borough(.hackney), trainingCompletedOn: nil, createdAt: Timestamp(microseconds: 0))
    }
    /// A London time on the day (November: London is on GMT).
    static func at(_ hour: Int, _ minute: Int = 0) -> Timestamp {
        Timestamp(day.startOfDay).adding(seconds: Int64(hour * 3600 + minute * 60))
    }
    static func consult(_ u: User, _ t: Timestamp, _ why: String = "Reviewing the subject for a planned intervention") -> AuditEntry {
        AuditEntry(
            at: t, operation: .consultation, action: .subjectRead, actor: u,
            purpose: StatedPurpose(purpose: .investigation, justification: why))
    }
    static func report(_ log: [AuditEntry]) -> AuditReport {
        AuditReport.compile(log, from: at(0), until: at(23, 59))
    }

    @Test func aUserFarAbovePeersIsFlaggedAndOneJustAboveIsNot() {
        // Peers read 10 each; median 10. 31 is above 3x; 30 is not.
        var log: [AuditEntry] = []
        for peer in 1...4 { for i in 0..<10 { log.append(Self.consult(Self.user(peer), Self.at(9, i))) } }
        for i in 0..<31 { log.append(Self.consult(Self.user(10), Self.at(10, i))) }
        for i in 0..<30 { log.append(Self.consult(Self.user(11), Self.at(11, i))) }
        let volume = Self.report(log).volume
        #expect(volume.map(\.user) == [Self.user(10).id], "\(volume)")
        // The median of user 10's peers includes user 11's 30: (10, 10, 10, 10, 30) gives 10.
        #expect(volume.first?.peerMedian == 10)
    }

    @Test func aNightBurstIsTheBusiestHourBetween23And6() {
        var log = (0..<10).map { Self.consult(Self.user(1), Self.at(2, $0 * 5)) }
        log += (0..<9).map { Self.consult(Self.user(2), Self.at(3, $0 * 6)) }
        // Daytime reads never count, however many.
        log += (0..<30).map { Self.consult(Self.user(3), Self.at(14, $0)) }
        let bursts = Self.report(log).nightBursts
        #expect(bursts.map(\.user) == [Self.user(1).id])
        #expect(bursts.first?.busiestHourCount == 10 && bursts.first?.busiestHourStart == Self.at(2, 0))
        #expect(AuditReport.londonHour(Self.at(23, 30)) == 23)
    }

    @Test func shortAndStockJustificationsAreListed() {
        var log = [Self.consult(Self.user(1), Self.at(9), "checking")]
        for d in 0..<5 {
            log.append(
                Self.consult(Self.user(2), Self.at(9).adding(seconds: Int64(d) * 86_400), "Routine check of the borough list for the panel")
            )
        }
        for d in 0..<4 {
            log.append(Self.consult(Self.user(3), Self.at(9).adding(seconds: Int64(d) * 86_400), "Reviewing a named subject for panel"))
        }
        let flagged = Self.report(log).justifications
        #expect(flagged.contains { $0.user == Self.user(1).id && $0.tooShort && !$0.repeated })
        #expect(flagged.contains { $0.user == Self.user(2).id && $0.repeated && $0.days == 5 })
        #expect(!flagged.contains { $0.user == Self.user(3).id }, "four days is not yet a stock phrase")
    }

    @Test func refusalsAreCountedByRuleAndSharesByRecipient() {
        let u = Self.user(1)
        let log = [
            AuditEntry(
                at: Self.at(9), operation: .refusal, action: .subjectRead, actor: u, purpose: nil, outcome: "scope.own-borough: x"),
            AuditEntry(
                at: Self.at(9), operation: .refusal, action: .subjectRead, actor: u, purpose: nil, outcome: "scope.own-borough: y"),
            AuditEntry(at: Self.at(9), operation: .refusal, action: .subjectCreate, actor: u, purpose: nil, outcome: "dpia.none: z"),
            // Grouped by the rule, never by the words after it, and text that names no rule is
            // one group however it is worded.
            AuditEntry(
                at: Self.at(9), operation: .refusal, action: .subjectCreate, actor: u, purpose: nil, outcome: "dpia.none: other words"),
            AuditEntry(at: Self.at(9), operation: .refusal, action: .subjectRead, actor: u, purpose: nil, outcome: "session expired"),
            AuditEntry(at: Self.at(9), operation: .refusal, action: .subjectRead, actor: u, purpose: nil, outcome: "password wrong"),
            AuditEntry(at: Self.at(10), operation: .disclosure, action: .shareDecide, actor: u, purpose: nil, recipient: "Hackney YOT"),
        ]
        let r = Self.report(log)
        #expect(
            Set(r.refusalsByRule.map { "\($0.key)=\($0.count)" }) == ["scope.own-borough=2", "dpia.none=2", "no rule named=2"],
            "\(r.refusalsByRule)")
        #expect(r.sharesByRecipient.map { "\($0.key)=\($0.count)" } == ["Hackney YOT=1"])
        #expect(r.outsideBorough.map(\.user) == [u.id] && r.outsideBorough.first?.attempts == 2)
    }
}
