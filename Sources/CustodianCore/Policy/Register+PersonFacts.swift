import Crypto

extension Register {
    /// What the monitor reads about a person on the register: their date of birth (opened with
    /// their key), the categories they hold, and whether the record is restricted.
    func facts(_ sealed: SealedSubject, key: SymmetricKey, links: [SubjectMatterLink]) throws -> PersonFacts {
        PersonFacts(
            id: sealed.id, dateOfBirth: try openPersonal(sealed, key: key).dateOfBirth, standing: CategoryStanding(links.map(\.category)),
            restricted: sealed.restricted)
    }
}
