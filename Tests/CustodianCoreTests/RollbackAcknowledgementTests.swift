import CustodianCore
import Foundation
import Testing

/// The rule that keeps an old backup from being restored in silence, as a pure function: a
/// restore that continues the published log needs nothing; one that loses or rewrites published
/// entries needs an active governance user's acknowledgement and a one-line reason.
@Suite struct RollbackAcknowledgementTests {
    static let today = LocalDate(iso: "2026-06-01")!

    func user(_ role: Role, disabled: Bool = false) -> User {
        User(
            id: UserID(UUID()), username: "u", displayName: "U", role: role, unit: .central,
            trainingCompletedOn: LocalDate(iso: "2026-01-01"), disabledAt: disabled ? Timestamp(microseconds: 1) : nil,
            createdAt: Timestamp(microseconds: 0))
    }

    func rule(_ continuity: RestoreContinuity, _ acknowledgement: RollbackAcknowledgement?) -> String? {
        do {
            try RollbackAcknowledgement.check(continuity, acknowledgement, today: Self.today)
            return nil
        } catch .denied(let denial) {
            return "\(denial.rule): \(denial.reason)"
        } catch {
            return "\(error)"
        }
    }

    @Test func onlyARestoreThatContinuesThePublishedLogNeedsNoAcknowledgement() {
        #expect(rule(.continues, nil) == nil)
        for lost in [RestoreContinuity.shorter(published: 10, restored: 9), .forked(published: 10)] {
            #expect(rule(lost, nil)?.hasPrefix("restore.rollback: \(lost); a governance user must acknowledge it") == true)
            for role in Role.allCases where role != .governance {
                #expect(rule(lost, RollbackAcknowledgement(governance: user(role), reason: "disk failed")) != nil, "\(role)")
            }
            let administrator = rule(lost, RollbackAcknowledgement(governance: user(.administrator), reason: "disk failed"))
            #expect(administrator == "restore.rollback: only an active governance user acknowledges a rollback")
            #expect(rule(lost, RollbackAcknowledgement(governance: user(.governance, disabled: true), reason: "disk failed")) != nil)
            for reason in ["", "   ", "two\nlines", String(repeating: "r", count: 501)] {
                #expect(
                    rule(lost, RollbackAcknowledgement(governance: user(.governance), reason: reason))?.contains("with a reason") == true)
            }
            #expect(rule(lost, RollbackAcknowledgement(governance: user(.governance), reason: "disk failed")) == nil)
        }
        #expect(RestoreContinuity.shorter(published: 10, restored: 9).description.hasSuffix("loses 1 entry"))
    }

    @Test func backupNamesAreTheirMomentAndNothingElse() {
        let name = BackupRecord.name(at: Timestamp(microseconds: 1_796_664_896_000_000))
        #expect(BackupRecord.isName(name), "\(name)")
        #expect(name.hasPrefix("custodian-20") && name.count == 26)
        for hostile in [
            "custodian-../../etc/passw", "custodian-20261207T173500Z/..", "../custodian-20261207T173500Z", "custodian-2026120７T173500Z",
        ] {
            #expect(!BackupRecord.isName(hostile), "\(hostile)")
        }
    }
}
