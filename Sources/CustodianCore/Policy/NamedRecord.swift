/// A record a caller named by its id, as a path or a body carries it. A refusal that keeps a
/// borough out of another borough's record names it, so the refusal can be answered exactly as
/// that id would be answered were no one to hold it.
enum NamedRecord: Sendable, Equatable {
    case subject(SubjectID)
    case matter(MatterID)
    case intelligence(IntelligenceID)
    case inclusion(InclusionID)
    case childAction(ChildActionID)
    case shareRequest(ShareRequestID)
    case disclosure(DisclosureID)

    /// The person the record is, when it is one: the refusal's log entry names them, so governance
    /// sees who was looked for out of scope.
    var subject: SubjectID? {
        if case .subject(let id) = self { return id }
        return nil
    }

    /// The record as the log's `touched` names it.
    var touched: AuditResource {
        switch self {
        case .subject(let id): .subject(id)
        case .matter(let id): .matter(id)
        case .intelligence(let id): .intelligence(id)
        case .inclusion(let id): .inclusion(id)
        case .childAction(let id): AuditResource(.childAction, id)
        case .shareRequest(let id): AuditResource(.shareRequest, id)
        case .disclosure(let id): .disclosure(id)
        }
    }

    /// The answer to an id no one holds, word for word as the use case's own lookup gives it.
    var notFound: RegisterError {
        switch self {
        case .subject(let id): .notFound(kind: "subject", id: id.description)
        case .matter(let id): .notFound(kind: "matter", id: id.description)
        case .intelligence(let id): .notFound(kind: "intelligence item", id: id.description)
        case .inclusion(let id): .notFound(kind: "inclusion", id: id.description)
        case .childAction(let id): .notFound(kind: "child action", id: id.description)
        case .shareRequest(let id): .notFound(kind: "share request", id: id.description)
        case .disclosure(let id): .notFound(kind: "disclosure", id: id.description)
        }
    }
}
