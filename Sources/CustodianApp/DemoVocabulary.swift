/// Word lists for synthetic people and places. Names are common given and family names combined at
/// random; streets, estates and handles are invented. No real person is described.
public enum DemoVocabulary {
    public static let givenMale = [
        "Aaron", "Abdi", "Adam", "Ahmed", "Ali", "Alfie", "Amir", "Andre", "Ayo", "Ben", "Callum", "Chidi", "Connor",
        "Daniel", "Dante", "David", "Dylan", "Elijah", "Emeka", "Ethan", "Femi", "Gabriel", "Hassan", "Harvey", "Ibrahim",
        "Isaac", "Jamal", "Jayden", "Joel", "Jordan", "Joshua", "Kai", "Kareem", "Kelvin", "Kofi", "Kyle", "Leon",
        "Liam", "Luca", "Malik", "Marcus", "Mason", "Mohammed", "Nathan", "Nico", "Omar", "Oscar", "Reece", "Rico",
        "Ryan", "Samuel", "Shay", "Tariq", "Theo", "Tyler", "Tyrese", "Yusuf", "Zain", "Zack", "Kwame",
    ]
    static let givenFemale = [
        "Aaliyah", "Abena", "Aisha", "Amara", "Amelia", "Ava", "Bella", "Chantelle", "Chloe", "Danielle", "Ebony",
        "Ella", "Esme", "Fatima", "Grace", "Hana", "Imani", "Isla", "Jade", "Jasmine", "Kayla", "Keisha", "Lara",
        "Leah", "Lily", "Maya", "Mia", "Nadia", "Naomi", "Nia", "Olivia", "Precious", "Priya", "Ruby", "Safiya",
        "Sara", "Shanice", "Sienna", "Tia", "Zara",
    ]
    public static let family = [
        "Abbott", "Adeyemi", "Ahmed", "Ali", "Anderson", "Appiah", "Baker", "Bangura", "Barnes", "Begum", "Bennett",
        "Boateng", "Brown", "Campbell", "Carter", "Chowdhury", "Clarke", "Cole", "Collins", "Cooper", "Costa", "Davies",
        "Demir", "Dixon", "Edwards", "Evans", "Fernandes", "Fletcher", "Francis", "Gordon", "Grant", "Green", "Hall",
        "Harris", "Hassan", "Hughes", "Hussain", "Ibrahim", "Jackson", "James", "Johnson", "Jones", "Kaur", "Kelly",
        "Khan", "King", "Kowalski", "Lewis", "Mahmoud", "Martin", "Mensah", "Miah", "Mitchell", "Mohamed", "Moore",
        "Morgan", "Murphy", "Nowak", "Nwosu", "Obi", "Okafor", "Oliveira", "Osei", "Owusu", "Patel", "Phillips",
        "Price", "Rahman", "Reid", "Richards", "Roberts", "Robinson", "Rossi", "Santos", "Scott", "Shah", "Silva",
        "Singh", "Smith", "Stewart", "Taylor", "Thomas", "Thompson", "Turner", "Uddin", "Walker", "Ward", "Watson",
        "White", "Williams", "Wilson", "Wood", "Wright", "Yilmaz", "Young",
    ]
    static let nicknames = [
        "Shadow", "Smokey", "Tiny", "Lucky", "Ghost", "Ace", "Blaze", "Skinny", "Red", "Youngs", "Bugs", "Flash",
        "Chopper", "Sparks", "Dee", "Jay-Jay", "Frosty", "Mouse",
    ]
    static let streetWords = [
        "Alder", "Birchfield", "Copperleaf", "Dunmore", "Elmswell", "Fernhollow", "Gatewick", "Hollybank", "Ivydene",
        "Juniper", "Kestrel", "Larkspur", "Mallow", "Netherby", "Orchard", "Pennywort", "Quarry", "Rowan",
        "Sorrel", "Thistle", "Underhill", "Vetch", "Willowmere", "Yarrow",
    ]
    static let streetTypes = ["Road", "Street", "Close", "Gardens", "Court", "Way", "Lane", "House", "Estate"]
    static let places = [
        "the Kestrel estate", "Rowan Park", "the Mallow Road shops", "the bus station", "Netherby Gardens",
        "the Copperleaf youth centre", "Thistle Lane garages", "the high street", "the canal towpath", "Orchard Court",
    ]
    static let captureMethods = [
        "Force open-source capture tool, full page with metadata", "Screen recording on a force device",
        "Archived copy made by the digital intelligence unit",
    ]
    static let attribution = [
        "Profile photograph matches custody image", "Handle used by the subject in two earlier intelligence reports",
        "Account linked to the subject's phone number in a seized handset", "Subject admitted the account in interview",
    ]
    static let intelligenceTexts = [
        "Reported to be carrying a bladed article near %@.",
        "Seen associating with known nominals at %@.",
        "Believed to be storing a weapon for others near %@.",
        "Involved in a dispute at %@ that may escalate to violence.",
        "Concern for welfare: believed to be exploited to carry drugs out of London, last seen near %@.",
        "Reported missing from home; friends say they hang around %@.",
        "Community report of threats made at %@.",
        "Partner agency reports the subject is at risk of retaliation after an incident at %@.",
    ]
    /// Invented partner organisations that report to the borough.
    static let partnerSources = [
        "Youth Offending Team", "Children's Social Care", "Housing Options", "Pupil Referral Unit", "Probation Service",
    ]

    static let communitySource = "Crimestoppers"

    static let handlingConditions = [
        "Not for onward disclosure outside policing", "Sanitise before sharing with partners",
        "Refer to the originating borough before any dissemination",
    ]
    public static let boroughWeights: [Borough: Double] = {
        var w: [Borough: Double] = [:]
        for b in Borough.allCases { w[b] = 1 }
        for b: Borough in [
            .lambeth, .southwark, .hackney, .newham, .haringey, .croydon, .lewisham, .towerHamlets, .brent, .enfield, .islington,
            .walthamForest,
        ] { w[b] = 3 }
        for b: Borough in [
            .camden, .westminster, .greenwich, .ealing, .barkingAndDagenham, .wandsworth, .hammersmithAndFulham, .redbridge, .hounslow,
            .barnet,
        ] { w[b] = 2 }
        w[.cityOfLondon] = 0.2
        return w
    }()
    static let postcodes: [Borough: String] = [
        .hackney: "E8", .newham: "E13", .lambeth: "SW9", .southwark: "SE15", .haringey: "N17",
        .croydon: "CR0", .lewisham: "SE13", .towerHamlets: "E1", .brent: "NW10", .enfield: "EN3",
        .islington: "N7", .walthamForest: "E17", .camden: "NW1", .westminster: "W2", .cityOfLondon: "EC2",
    ]
}

public import CustodianCore
