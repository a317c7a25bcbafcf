"""Word banks and templates for the generated archive: plausible press-office English."""

# --- Word banks (written for Newsroom: plausible press-office English) -----------------

ALLIES = [
    "Albania", "Belgium", "Bulgaria", "Canada", "Croatia", "Czechia", "Denmark", "Estonia",
    "Finland", "France", "Germany", "Greece", "Hungary", "Iceland", "Italy", "Latvia",
    "Lithuania", "Luxembourg", "Montenegro", "the Netherlands", "North Macedonia", "Norway",
    "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden", "Türkiye",
    "the United Kingdom", "the United States",
]  # fmt: skip
PARTNERS = [
    "Ukraine", "Georgia", "the Republic of Moldova", "Bosnia and Herzegovina", "Serbia",
    "Japan", "the Republic of Korea", "Australia", "New Zealand", "Jordan", "Tunisia",
    "Morocco", "Mauritania", "Egypt", "Qatar", "Kuwait", "Bahrain", "the United Arab Emirates",
    "Switzerland", "Austria", "Ireland", "Malta", "Mongolia", "Colombia", "Iraq",
    "Kazakhstan", "Armenia", "Azerbaijan",
]  # fmt: skip
CITIES = [
    "Brussels", "Mons", "Norfolk", "Naples", "Brunssum", "Vilnius", "Madrid", "Warsaw",
    "Riga", "Tallinn", "Bucharest", "Sofia", "Oslo", "Stockholm", "Helsinki", "Copenhagen",
    "Reykjavik", "Lisbon", "Rome", "Athens", "Ankara", "Berlin", "Paris", "London",
    "Washington", "Ottawa", "Prague", "Bratislava", "Budapest", "Ljubljana", "Zagreb",
    "Podgorica", "Skopje", "Tirana", "Kyiv", "Tbilisi", "Chișinău", "Tokyo", "Seoul",
    "Canberra", "The Hague", "Bydgoszcz", "Stavanger", "Oberammergau", "Ramstein", "Izmir",
]  # fmt: skip
REGIONS = [
    "the Euro-Atlantic area", "the Black Sea region", "the Baltic Sea region", "the High North",
    "the Western Balkans", "the Mediterranean", "the Middle East and North Africa",
    "the Sahel", "the Indo-Pacific", "the Gulf region", "the South Caucasus", "Central Asia",
]  # fmt: skip
TOPICS = [
    "collective defence", "cyber defence", "military mobility", "the defence industrial base",
    "integrated air and missile defence", "maritime security", "critical infrastructure",
    "the protection of undersea cables", "climate change and security", "counter-terrorism",
    "arms control and disarmament", "defence innovation", "energy security",
    "countering disinformation", "crisis management", "women, peace and security",
    "civil preparedness", "interoperability", "space security", "emerging technologies",
    "defence capacity building", "defence spending", "burden sharing", "hybrid threats",
    "building integrity", "standardisation", "logistics and sustainment",
    "military medical support", "nuclear deterrence", "human security",
    "the protection of civilians", "children and armed conflict", "defence education",
    "ammunition production", "air policing", "strategic communications",
    "artificial intelligence", "quantum technologies", "biotechnology and security",
    "non-proliferation", "small arms and light weapons", "explosive ordnance disposal",
    "demining", "search and rescue", "disaster relief", "border security",
    "cultural property protection", "youth engagement", "public opinion", "transparency",
    "the Strategic Concept", "deterrence and defence", "resilience", "partnerships",
    "enlargement", "the open door policy", "defence planning", "exercises", "training",
    "operations and missions", "science for peace and security", "facts and figures",
]  # fmt: skip
SUMMITS = [
    ("Prague Summit", 2002), ("Istanbul Summit", 2004), ("Riga Summit", 2006),
    ("Bucharest Summit", 2008), ("Strasbourg-Kehl Summit", 2009), ("Lisbon Summit", 2010),
    ("Chicago Summit", 2012), ("Wales Summit", 2014), ("Warsaw Summit", 2016),
    ("Brussels Summit", 2018), ("London Leaders Meeting", 2019), ("Brussels Summit", 2021),
    ("Madrid Summit", 2022), ("Vilnius Summit", 2023), ("Washington Summit", 2024),
]  # fmt: skip
EXERCISES = [
    "Steadfast Defender", "Trident Juncture", "Baltic Operations", "Cold Response",
    "Dynamic Mongoose", "Dynamic Manta", "Cyber Coalition", "Ramstein Flag", "Brilliant Jump",
    "Noble Partner", "Sea Breeze", "Iron Wolf", "Northern Coasts", "Crisis Management Exercise",
    "Steadfast Jupiter", "Dynamic Front", "Swift Response", "Spring Storm", "Arctic Challenge",
    "Breeze", "Joint Warrior", "Trident Jaguar", "Steadfast Noon", "Coalition Warrior",
    "Bold Quest", "Silver Arrow", "Saber Strike", "Defender Europe", "Grand Quadriga",
    "Neptune Strike",
]  # fmt: skip
PROGRAMMES = [
    "DIANA", "NATO Innovation Fund", "Partnership for Peace", "Mediterranean Dialogue",
    "Istanbul Cooperation Initiative", "Defence Education Enhancement Programme",
    "Building Integrity Programme", "NATO Mission Iraq", "KFOR", "Resolute Support",
    "Operation Sea Guardian", "Baltic Air Policing", "enhanced Forward Presence",
    "NATO Response Force", "Comprehensive Assistance Package", "Defence Production Action Plan",
    "NATO Support and Procurement Agency", "Science for Peace and Security Programme",
    "NATO Cooperative Cyber Defence Centre of Excellence", "Allied Ground Surveillance",
    "Airborne Warning and Control System", "Standing NATO Maritime Groups",
    "NATO Defence College", "NATO School Oberammergau", "Joint Warfare Centre",
    "Allied Command Transformation", "Allied Command Operations", "Military Committee",
    "NATO Parliamentary Assembly", "NATO Public Forum",
]  # fmt: skip
THEMES = [
    "security", "cooperation", "partnership", "stability", "dialogue", "resilience",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Mircea", "Jens", "Ingrid", "Piotr", "Kaja", "Dacian", "Søren", "Maria", "Tomas",
    "Elena", "Radu", "Giulia", "Pierre", "Claire", "Hans", "Ulrike", "James", "Sarah",
    "Michael", "Laura", "Jüri", "Liis", "Andris", "Ieva", "Lars", "Kristin", "Pekka", "Aino",
    "Mateusz", "Zofia", "Ivan", "Petra", "Miroslav", "Katarina", "Nikos", "Eleni", "Ahmet",
    "Zeynep", "João", "Inês", "Carlos", "Lucía", "Pieter", "Femke", "Olaf", "Astrid", "Ferenc",
    "Zsófia", "Luka", "Maja", "Arben", "Teuta", "Bogdan", "Ioana", "Hiroshi", "Yuki",
    "Ji-woo", "Oksana", "Taras", "David", "Rachel", "Patrick", "Siobhan", "Emil", "Ragnhild",
]  # fmt: skip
LAST_NAMES = [
    "Andersen", "Kowalski", "Popescu", "Rossi", "Dubois", "Müller", "Schmidt", "Smith",
    "Johnson", "Tamm", "Kalniņš", "Petrauskas", "Nilsson", "Virtanen", "Nowak", "Novák",
    "Horváth", "Papadopoulos", "Yılmaz", "Silva", "García", "de Vries", "Janssens", "Hansen",
    "Jónsson", "Kovač", "Marković", "Hoxha", "Ionescu", "Dimitrov", "Georgiev", "Lambert",
    "Moreau", "Weber", "Becker", "Bianchi", "Ferrari", "Costa", "Pereira", "Fernández",
    "López", "Jansen", "Peeters", "Larsen", "Berg", "Lindqvist", "Korhonen", "Wiśniewski",
    "Dvořák", "Szabó", "Kozak", "Shevchenko", "Bondarenko", "Tanaka", "Sato", "Kim", "Park",
    "Brown", "Wilson", "Taylor", "Campbell", "O'Brien", "Murphy", "Fischer", "Wagner",
    "Conti", "Ricci", "Rocha", "Martins", "Vidal", "Meyer", "Lund", "Holm", "Eriksen",
]  # fmt: skip
NATO_ROLES = [
    "NATO Secretary General", "NATO Deputy Secretary General", "NATO Spokesperson",
    "Chair of the NATO Military Committee", "Supreme Allied Commander Europe",
    "Supreme Allied Commander Transformation",
    "Assistant Secretary General for Operations",
    "Assistant Secretary General for Defence Policy and Planning",
    "Assistant Secretary General for Public Diplomacy",
    "Assistant Secretary General for Emerging Security Challenges",
    "Assistant Secretary General for Innovation, Hybrid and Cyber",
    "Assistant Secretary General for Political Affairs and Security Policy",
    "Director of the NATO Defence College", "Commander of Joint Force Command Brunssum",
    "Commander of Allied Maritime Command", "NATO Senior Civilian Representative",
]  # fmt: skip
NATIONAL_ROLES = [
    "Minister of Defence of {country}", "Minister of Foreign Affairs of {country}",
    "President of {country}", "Prime Minister of {country}",
    "Ambassador of {country} to NATO", "Chief of Defence of {country}",
    "State Secretary for Defence of {country}",
]  # fmt: skip

# Sentences for releases (third person) and speeches (first person). Slots are filled
# from the banks above; every filled sentence is escaped before it becomes HTML.
RELEASE_SENTENCES = [
    "Allies discussed {topic} and will return to it at the next meeting of {body}.",
    "The Secretary General stressed that {topic} remains a priority for all Allies.",
    "{ally} will contribute {unit} to {programme} from {month}.",
    "Ministers reviewed progress on {topic}, including new national targets.",
    "The exercise brings together around {thousands} troops from {few} Allies and partners.",
    "NATO and {partner} have worked together on {topic} since {year}.",
    "The meeting also addressed {topic}; several Allies called for closer work with the EU.",
    "Participants exchanged views on the security situation in {region}.",
    "The programme supports national authorities with training and advice on {topic}.",
    "Since {year}, Allied investment in {topic} has grown by {pct} per cent in real terms.",
    "The North Atlantic Council will keep {topic} under close review.",
    "Further details will be published on the NATO website in the coming weeks.",
    "The visit underlined the close partnership between NATO and {partner}.",
    "Discussions focused on the implementation of decisions taken at the {summit}.",
    "{ally} and {ally2} announced a joint project on {topic}.",
    "The new centre in {city} will host experts from across the Alliance.",
    "Allied {forces} conducted {activity} in {region}.",
    "Officials from the United Nations and the OSCE attended the opening session as observers.",
    "The initiative is funded by {few} Allies through a NATO trust fund.",
    "More than {hundreds} specialists took part in the training, which ran over {days} days.",
    "Allies remain committed to {topic}, in line with the Strategic Concept.",
    "A joint statement will be issued at the end of the meeting.",
    "The next round of talks is expected to take place in {city} later this year.",
    "{ally} has offered to host the next meeting of {body}.",
    "Training activities included {activity}, {activity2} and command post drills.",
    "This is the {ordinal} time that {ally} has hosted the event.",
    "The Alliance continues to monitor developments in {region} closely.",
    "The project will improve {topic} and strengthen interoperability between national forces.",
    "Partners welcomed the opportunity to contribute to NATO’s work on {topic}.",
    "Lessons learned will inform future planning for {topic}.",
    "Ships from {few} Allied navies took part, supported by maritime patrol aircraft.",
    "The findings will be presented to defence ministers at their next meeting.",
    "A package of practical support worth {money} million euros was agreed.",
    "{ally} took over the lead of the {unit2} on {weekday}.",
    "The {programme} marks an important step in NATO’s adaptation.",
    "Experts from {few} nations reviewed national approaches to {topic}.",
    "Civil and military authorities from {ally} worked side by side throughout the week.",
    "The agreement sets out how NATO and {partner} will cooperate on {topic}.",
    "Students from {city} and {city2} joined a debate on the future of transatlantic security.",
    "NATO’s work on {topic} is guided by decisions taken by Heads of State and Government.",
]  # fmt: skip
SPEECH_SENTENCES = [
    "Let me start by thanking {ally} for hosting us today.",
    "Today we discussed {topic}, which matters for the security of all our nations.",
    "I welcome the decision by {ally} to increase its contribution to {programme}.",
    "We are stronger and safer when we stand together.",
    "Our partnership with {partner} has never been more important.",
    "We must continue to invest in {topic}.",
    "Allies agreed to step up our work on {topic}.",
    "I have just returned from {city}, where I met people working on {topic}.",
    "The security situation in {region} remains serious.",
    "NATO is a defensive alliance, and we will do what it takes to protect every Ally.",
    "We will take further decisions at the {summit}.",
    "I count on all Allies to deliver on the commitments we have made.",
    "This is about our shared values: democracy, individual liberty and the rule of law.",
    "More Allies than ever now invest at least two per cent of GDP in defence.",
    "We must be prepared for the unexpected.",
    "I would like to thank the men and women who serve in our armed forces.",
    "We also addressed {topic}, and how we can work more closely with the European Union.",
    "The threats we face do not respect borders, and no nation can deal with them alone.",
    "Let me be clear: we will continue to support {partner}.",
    "Our deterrence and defence remain credible and strong.",
    "I look forward to continuing this important conversation with you.",
    "We have made real progress, but there is more to do.",
    "{ally} is a highly valued Ally and a strong contributor to our shared security.",
    "Over the past {few} years, we have strengthened our presence in {region}.",
    "Innovation will shape how we deter and defend in the decades ahead.",
    "We will review progress on {topic} when ministers meet in {month}.",
    "That is why we are working with partners such as {partner}.",
    "The exercise shows that NATO is ready to defend every inch of Allied territory.",
    "I welcome the agreement reached today on {topic}.",
    "With that, I am ready to take your questions.",
]  # fmt: skip
QUESTIONS = [
    "What is NATO’s response to the situation in {region}?",
    "Will Allies agree new targets for {topic} this year?",
    "How will {ally} contribute to {programme}?",
    "Is NATO ready to do more to support {partner}?",
    "What did ministers decide on {topic}?",
    "When will the next meeting with {partner} take place?",
]  # fmt: skip
SLOTS = {
    "unit": ["a frigate", "four fighter jets", "a field hospital", "an engineering company",
             "a mine countermeasures vessel", "a battalion", "staff officers", "air defence units"],
    "unit2": ["battlegroup", "maritime group", "air policing mission", "training mission",
              "rapid reaction force", "multinational brigade"],
    "forces": ["fighter jets", "warships", "ground forces", "special operations forces",
               "maritime patrol aircraft", "engineers", "medical teams", "cyber specialists"],
    "activity": ["live-fire drills", "a series of air patrols", "amphibious landings",
                 "river crossings", "cold-weather training", "mine clearance",
                 "search and rescue drills", "cyber defence exercises", "medical evacuation drills",
                 "air-to-air refuelling"],
    "body": ["the North Atlantic Council", "defence ministers", "foreign ministers",
             "the Military Committee", "the NATO-Ukraine Council", "the Nuclear Planning Group"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "ordinal": ["second", "third", "fourth", "fifth", "sixth", "tenth"],
}  # fmt: skip

RELEASE_TITLES = {
    "ally": [
        "Secretary General visits {name}", "{name} hosts talks on {topic}",
        "NATO welcomes {name}’s contribution to {topic}", "{name} deploys forces to {region}",
        "Deputy Secretary General meets the Prime Minister of {name}",
    ],
    "partner": [
        "NATO and {name} deepen cooperation on {topic}", "{name} joins NATO training on {topic}",
        "Political dialogue between NATO and {name}", "NATO support to {name} on {topic}",
    ],
    "topic": [
        "Allies step up work on {name}", "New NATO report on {name}",
        "Defence ministers agree next steps on {name}", "NATO launches initiative on {name}",
        "Conference on {name} opens in {city}", "Experts meet in {city} to discuss {name}",
    ],
    "summit": [
        "Allies prepare for the {name}", "Decisions on {topic} at the {name}",
        "Leaders gather for the {name}",
    ],
    "exercise": [
        "Exercise {name} gets under way", "Allied forces complete exercise {name}",
        "Thousands of troops train together in {name}",
    ],
    "programme": [
        "{name} opens new call for proposals", "{name} marks another year of work",
        "New projects under the {name}", "{name}: results on {topic}",
    ],
    "region": [
        "Allies discuss security in {name}", "NATO steps up its presence in {name}",
        "Partners meet on stability in {name}",
    ],
}  # fmt: skip
EVENT_NAMES = {
    "ministerial": ["Meeting of NATO Ministers of Defence",
                    "Meeting of NATO Ministers of Foreign Affairs"],
    "council": ["North Atlantic Council meeting with {partner}",
                "North Atlantic Council visit to {ally}"],
    "exercise": ["Exercise {exercise}"],
    "ceremony": ["Change of command ceremony in {city}", "Wreath-laying ceremony in {city}",
                 "Flag-raising ceremony at NATO Headquarters"],
    "visit": ["Visit of the Secretary General to {ally}",
              "Visit of the Prime Minister of {partner} to NATO",
              "Visit of the Secretary General to {partner}"],
    "press-event": ["Press briefing on {topic}", "Launch of the Secretary General’s Annual Report"],
    "talks": ["NATO staff talks with {partner}", "Political consultations with {partner}"],
    "conference": ["Conference on {topic} in {city}", "NATO symposium on {topic}"],
    "other": ["Open day at NATO Headquarters", "NATO Public Forum in {city}"],
}  # fmt: skip
EVENT_KIND_WEIGHTS = {
    "ministerial": 10, "council": 12, "exercise": 15, "ceremony": 8, "visit": 20,
    "press-event": 10, "talks": 10, "conference": 10, "other": 5,
}  # fmt: skip
RELEASE_KIND_WEIGHTS = {"press-release": 45, "news": 40, "feature": 10, "publication": 5}
SPEECH_KINDS = {
    "speech": (30, "Speech by the {role}, {name}, at the {event}"),
    "remarks": (20, "Remarks by the {role}, {name}, at the {event}"),
    "press-conference": (20, "Press conference by the {role}, {name}, at the {event}"),
    "joint-press-conference": (12, "Joint press conference with {name} and {name2}"),
    "doorstep": (10, "Doorstep statement by the {role}, {name}, at the {event}"),
    "statement": (5, "Statement by the {role}, {name}, on {topic}"),
    "interview": (3, "Interview with the {role}, {name}, on {topic}"),
}  # fmt: skip
SUBHEADINGS = ["Background", "Next steps", "Key facts", "Further information", "Context"]
FACTS = [
    "{few} Allies and {few2} partners took part",
    "the meeting took place in {city}",
    "training ran over {days} days",
    "around {thousands} personnel were involved",
    "the work covers {topic}",
    "support worth {money} million euros was agreed",
]  # fmt: skip


# What an item "is about", in words, by the kind of its first tag.
ABOUT = {
    "ally": "cooperation with {display}",
    "partner": "cooperation with {display}",
    "topic": "{display}",
    "summit": "the {display}",
    "exercise": "exercise {display}",
    "programme": "{display}",
    "region": "security in {display}",
}
QUOTES = [
    "We will keep working on {about}, together with our partners",
    "Progress on {about} makes every Ally safer",
    "Today’s meeting was an important step for {about}",
    "I am proud of what we have achieved on {about}",
]  # fmt: skip
WHO_MET = ["Allies", "senior officials", "experts from NATO and national capitals", "partners"]
