import CustodianAPI
import CustodianCore
import Foundation

/// Breaches over the API: anyone signed in reports; governance handles.
extension APIHandler {
    func reportBreach(_ input: Operations.ReportBreach.Input) async throws -> Operations.ReportBreach.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let breach = try await register.reportBreach(
            BreachReport(
                description: b.description, disclosureIDs: b.disclosureIds ?? [], userIDs: b.userIds ?? [], awareAt: b.awareAt,
                from: b.from, until: b.until), by: try Identity.required())
        return .created(.init(body: .json(try .init(breach, now: register.clock.now()))))
    }

    func listBreaches(_ input: Operations.ListBreaches.Input) async throws -> Operations.ListBreaches.Output {
        let h = input.headers
        let all = try await register.breaches(
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        let now = register.clock.now()
        return .ok(.init(body: .json(try all.map { try Schemas.Breach($0, now: now) })))
    }

    func containBreach(_ input: Operations.ContainBreach.Input) async throws -> Operations.ContainBreach.Output {
        let h = input.headers
        let breach = try await register.containBreach(
            try id(input.path.breachId, "breachId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(breach, now: register.clock.now()))))
    }

    func scopeBreach(_ input: Operations.ScopeBreach.Input) async throws -> Operations.ScopeBreach.Output {
        let h = input.headers
        let breach = try await register.scopeBreach(
            try id(input.path.breachId, "breachId"), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(breach, now: register.clock.now()))))
    }

    func notifyBreach(_ input: Operations.NotifyBreach.Input) async throws -> Operations.NotifyBreach.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let breach = try await register.notifyBreach(
            try id(input.path.breachId, "breachId"),
            NotificationDraft(consequences: b.consequences, measures: b.measures, delayReason: b.delayReason), by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(breach, now: register.clock.now()))))
    }

    func recordBreachNotNotified(_ input: Operations.RecordBreachNotNotified.Input) async throws
        -> Operations.RecordBreachNotNotified.Output
    {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let breach = try await register.recordBreachNotNotified(
            try id(input.path.breachId, "breachId"), reason: b.reason, by: try Identity.required(),
            for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(breach, now: register.clock.now()))))
    }

    func decideBreachPeople(_ input: Operations.DecideBreachPeople.Input) async throws -> Operations.DecideBreachPeople.Output {
        guard case .json(let b) = input.body else { throw RegisterError.invalid([]) }
        let h = input.headers
        let breach = try await register.decideBreachPeople(
            try id(input.path.breachId, "breachId"), tell: b.tell, reason: b.reason, ground: b.ground?.rawValue,
            by: try Identity.required(), for: try purpose(h.custodianPurpose?.rawValue, h.custodianJustification))
        return .ok(.init(body: .json(try .init(breach, now: register.clock.now()))))
    }
}

extension Schemas.Breach {
    init(_ b: CustodianCore.Breach, now: Timestamp) throws {
        self.init(
            id: b.id.description, reportedBy: b.reportedBy.description, reportedAt: b.reportedAt.date, awareAt: b.awareAt.date,
            deadline: b.deadline.date, hoursLeft: b.hoursLeft(at: now), overdue: b.isOverdue(at: now), description: b.description,
            disclosureIds: b.disclosures.map(\.description), userIds: b.users.map(\.description), from: b.from.date, until: b.until.date,
            containment: b.containment.map {
                .init(
                    at: $0.at.date, by: $0.by.description, recalled: $0.recalled.map(\.description),
                    disabledUsers: $0.disabledUsers.map(\.description))
            },
            scope: b.scope.map {
                .init(
                    computedAt: $0.computedAt.date, from: $0.from.date, until: $0.until.date, subjects: $0.subjects.map(\.description),
                    records: $0.records.map(\.description), recipients: $0.recipients, users: $0.users.map(\.description),
                    entries: $0.entries,
                    afterReport: $0.afterReport.map {
                        .init(subjects: $0.subjects.map(\.description), entries: $0.entries)
                    })
            },
            notifications: b.notifications.map {
                .init(
                    phase: $0.phase, at: $0.at.date, by: $0.by.description, nature: $0.nature, approximateSubjects: $0.approximateSubjects,
                    approximateRecords: $0.approximateRecords, contact: $0.contact, consequences: $0.consequences, measures: $0.measures,
                    delayReason: $0.delayReason)
            },
            notNotifiedReason: b.notNotifiedReason,
            people: try b.people.map {
                .init(tell: $0.tell, reason: $0.reason, ground: try $0.ground?.wire(), by: $0.by.description, at: $0.at.date)
            },
            status: try b.status.wire())
    }
}
