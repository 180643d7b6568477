"""Hand-written answers to Q2 (what good looks like for care leavers).

Each entry: (voice, themes, text); voice as in pools_q1.py.
Every text is used at most once by make_survey.py.
"""

Q2 = [
    (
        "i",
        "housing",
        "Somewhere safe to live. Not a hostel, not a B&B, a proper flat with furniture in it.",
    ),
    (
        "c",
        "pathway_plans_pas stability_relationships",
        "A PA that doesn't change every few months. I had five and had to start from scratch each time.",
    ),
    (
        "c",
        "financial",
        "Money management. Nobody taught me how to pay bills and I was in debt within months.",
    ),
    ("i", "emotional_wellbeing", "mental health support that you dont have to wait a year for"),
    (
        "c",
        "rights_local_offer",
        "Telling us what we're entitled to. I only found out about the setting up home allowance after I'd already spent my own money on a bed.",
    ),
    (
        "i",
        "education financial",
        "Help with uni costs and somewhere to stay in the summer holidays.",
    ),
    (
        "i",
        "employment_training",
        "Help finding work. Proper help, not just being told to go on a website.",
    ),
    (
        "c",
        "stability_relationships",
        "Being allowed to stay in touch with my foster family after 18 without it being a big deal.",
    ),
    ("i", "voice", "Ask care leavers. We know what works and what doesn't."),
    (
        "c",
        "records_access",
        "Getting your file without a fight. I asked for mine and got half of it blacked out and nobody to talk to about what was in it.",
    ),
    ("i", "housing stability_relationships", "not being moved out the week you turn 18"),
    (
        "i",
        "pathway_plans_pas",
        "A pathway plan that you actually write with your worker, not one you sign without reading.",
    ),
    ("i", "health", "Help registering with a doctor and dentist when you move somewhere new."),
    (
        "i",
        "emotional_wellbeing stability_relationships",
        "Someone to talk to at weekends. That's when it gets bad.",
    ),
    (
        "i",
        "financial",
        "The leaving care grant hasn't gone up in years and everything costs double now.",
    ),
    (
        "i",
        "support",
        "Life skills. Cooking, cleaning, shopping. Basic stuff nobody teaches you in care.",
    ),
    (
        "f",
        "housing financial",
        "As a foster carer: Staying Put should be properly funded. I lose about £200 a week by keeping my young person on.",
    ),
    (
        "w",
        "pathway_plans_pas workforce",
        "As a PA I'd say manageable caseloads. I can't build relationships with 38 young people.",
    ),
    (
        "i",
        "stability_relationships",
        "Good looks like the young person having at least one adult who will always pick up the phone.",
    ),
    (
        "i",
        "employment_training",
        "apprenticeships with the council for care leavers. they say they are corporate parents so act like it",
    ),
    (
        "c",
        "asylum_refugee",
        "Help with immigration solicitors. I waited 3 years for my asylum decision and my PA didn't know anything about it.",
    ),
    (
        "i",
        "health emotional_wellbeing",
        "Drug and alcohol support that isn't judgemental. A lot of us use stuff to cope.",
    ),
    (
        "i",
        "voice leadership_corporate_parenting",
        "Councillors and directors should meet care leavers regularly, not just once a year for a photo.",
    ),
    (
        "c",
        "education",
        "Support to go back to education later. I dropped out of college at 17 because of my placement breaking down and wanted to go back at 22 but was told I was too old for help.",
    ),
    (
        "c",
        "lifelong_support",
        "Support doesn't stop being needed at 25. I'm 27 and had no one to turn to when I lost my job.",
    ),
    (
        "i",
        "rights_local_offer",
        "The local offer should be short and easy to read and actually given to you, not hidden on the council website.",
    ),
    (
        "c",
        "financial",
        "Council tax exemption. I didn't know I was entitled to it and got a court summons.",
    ),
    (
        "c",
        "housing",
        "Priority on the housing list. I was told I had to wait like everyone else even though I have no family.",
    ),
    (
        "c",
        "stability_relationships",
        "Keeping brothers and sisters in contact. I haven't seen my little brother since I left care.",
    ),
    ("i", "pathway_plans_pas", "Workers who turn up when they say they will."),
    (
        "i",
        "emotional_wellbeing",
        "Understanding trauma. A lot of us are not 'difficult', we've just had a hard time.",
    ),
    (
        "i",
        "support",
        "Treating us like your own kids would be treated. Would you kick your own kid out at 18 with a bin bag?",
    ),
    (
        "i",
        "employment_training financial",
        "Help with the cost of travel to work or college in the first months.",
    ),
    (
        "i",
        "housing",
        "Supported lodgings with people who actually want to help, not just for the money.",
    ),
    ("i", "voice", "Listen when we complain. I complained twice and never heard back."),
    (
        "i",
        "health",
        "Better health checks before you leave care and a copy of your health history.",
    ),
    (
        "i",
        "emotional_wellbeing",
        "Counselling for people who've been through care. It should be automatic, not something you have to ask for.",
    ),
    (
        "i",
        "education employment_training",
        "More help for care leavers who are not academic. Not everyone wants to go to uni.",
    ),
    (
        "i",
        "workforce",
        "Social workers who stay. Agency staff come and go and never get to know you.",
    ),
    (
        "i",
        "pathway_plans_pas stability_relationships",
        "A proper handover between the social worker and the PA, with the young person there.",
    ),
    (
        "i",
        "financial",
        "Emergency money when things go wrong. Being told to wait until next week when you have no electric is not good enough.",
    ),
    (
        "c",
        "equality",
        "LGBT care leavers need support that understands them. I was placed with carers who were not accepting of me.",
    ),
    ("i", "support", "Being prepared for adult life from 15, not in the last month."),
    (
        "i",
        "housing",
        "flats that are near your friends and school not miles away in an area you dont know",
    ),
    (
        "i",
        "stability_relationships emotional_wellbeing",
        "Help with relationships with birth family when you leave care. A lot of us go back to our families and it doesn't always go well.",
    ),
    ("c", "rights_local_offer", "Advocacy. I didn't know I could have an advocate until I was 23."),
    ("i", "health", "Sexual health and pregnancy support that doesn't make you feel judged."),
    (
        "i",
        "voice",
        "Inspectors should talk to care leavers who are NOT in the council's forum. The forum ones are hand picked.",
    ),
    (
        "o",
        "housing leadership_corporate_parenting",
        "Sufficient and suitable accommodation, including a joint housing protocol between children's services and housing authorities that is monitored by senior leaders.",
    ),
    (
        "o",
        "pathway_plans_pas",
        "The quality of pathway plans: whether they are up to date, written with the young person, and address all areas of need.",
    ),
    (
        "o",
        "workforce",
        "Personal adviser caseloads, supervision and training. The workforce is the service.",
    ),
    (
        "o",
        "voice",
        "Meaningful participation: evidence that care leavers' views shape services, not simply that a forum exists.",
    ),
    (
        "o",
        "employment_training education data_monitoring",
        "The proportion of care leavers in education, employment or training, viewed alongside the quality of support offered to those who are not.",
    ),
    (
        "o",
        "emotional_wellbeing health",
        "Access to mental health and emotional wellbeing support for young adults, and the joint working between children's services and adult mental health services.",
    ),
    (
        "o",
        "leadership_corporate_parenting",
        "How well the whole council, not only children's services, acts as a corporate parent. Housing, revenues and benefits, and HR all have a part to play.",
    ),
    (
        "o",
        "asylum_refugee",
        "The support provided to former unaccompanied asylum-seeking children, including access to legal advice and planning for different immigration outcomes.",
    ),
    (
        "o",
        "data_monitoring leadership_corporate_parenting",
        "Whether leaders know their care leavers: robust data on outcomes, take-up of entitlements and the reasons young people lose contact.",
    ),
    (
        "o",
        "rights_local_offer voice",
        "The clarity and accessibility of the local offer, and whether it has been co-produced with care leavers.",
    ),
    (
        "o",
        "financial",
        "The level of financial support, including the setting up home allowance and any hardship funds, and whether it reflects the current cost of living.",
    ),
    (
        "o",
        "housing financial stability_relationships",
        "Staying Put and Staying Close arrangements, including the allowance paid to carers, which in many areas is too low to make Staying Put viable.",
    ),
    (
        "o",
        "stability_relationships",
        "The extent to which authorities support care leavers to maintain relationships with people who matter to them, including former carers and siblings.",
    ),
    (
        "o",
        "equality",
        "Whether services are accessible to disabled care leavers and those with special educational needs, who are often passed to adult services without leaving care support.",
    ),
    (
        "o",
        "health",
        "The transfer of health information at 18 and continued access to health services, including GP and dental registration.",
    ),
    (
        "o",
        "records_access",
        "A timely and supported process for care leavers who request access to their records, with trained staff to help them understand what they read.",
    ),
    (
        "o",
        "lifelong_support",
        "Recognition that care-experienced adults may need support beyond 25, and whether the authority offers any route back to advice at any age.",
    ),
    (
        "o",
        "education",
        "The role of the Virtual School for care leavers in post-16 education and the support given to care leavers at university.",
    ),
    (
        "o",
        "workforce leadership_corporate_parenting",
        "Leadership stability and the retention of experienced personal advisers.",
    ),
    (
        "o",
        "employment_training leadership_corporate_parenting",
        "The council's own role as an employer: ring-fenced apprenticeships and guaranteed interviews for care leavers.",
    ),
    (
        "o",
        "socioeconomic data_monitoring",
        "Outcomes should be judged against the local context; areas of high deprivation face particular challenges that the criteria should acknowledge.",
    ),
    (
        "o",
        "pathway_plans_pas",
        "The quality of transition planning from 16, including the timing of allocation of a personal adviser.",
    ),
    (
        "o",
        "support",
        "A holistic offer of support that treats each young person as an individual rather than a set of service eligibility criteria.",
    ),
    (
        "o",
        "voice workforce",
        "Whether care-experienced people are employed within leaving care services, for example as peer mentors.",
    ),
    (
        "o",
        "national_reforms",
        "Alignment with the national reforms expected following the Independent Review of Children's Social Care, so that criteria do not need to change shortly after introduction.",
    ),
    (
        "o",
        "emotional_wellbeing",
        "Loneliness and isolation: whether authorities help care leavers build networks of support in their communities.",
    ),
    (
        "o",
        "housing",
        "The use of unregulated and unsuitable accommodation, including bed and breakfast, for care leavers, which should never be judged acceptable.",
    ),
    (
        "o",
        "financial employment_training",
        "Support with the transition from benefits to work, which can leave young people worse off in the short term.",
    ),
    (
        "a",
        "pathway_plans_pas support",
        "Good looks like a personal adviser who knows the young person well and a plan that covers housing, money, health and learning.",
    ),
    (
        "a",
        "stability_relationships",
        "Continuity. The same people, the same place, for as long as the young person needs.",
    ),
    ("a", "voice", "The voices of care leavers should be the main evidence for the judgement."),
    (
        "i",
        "housing financial",
        "Help with a deposit and the first month's rent. Private landlords won't touch you without a guarantor.",
    ),
    (
        "c",
        "emotional_wellbeing stability_relationships",
        "checking in on people even when they say they're fine. I said I was fine for 2 years and I wasn't",
    ),
    (
        "c",
        "education",
        "My PA helped me apply to college, that made a massive difference. Every care leaver should get that.",
    ),
    (
        "i",
        "support",
        "Being taught how to use a bank account, register with a doctor, and read a tenancy agreement before you're on your own.",
    ),
    (
        "f",
        "pathway_plans_pas",
        "As a foster carer I'd like to be invited to pathway plan meetings. We are often left out completely.",
    ),
    (
        "w",
        "workforce",
        "Social workers with time. I've been a social worker 12 years and I've never had enough time to do leaving care work properly.",
    ),
    (
        "i",
        "financial",
        "Not being sanctioned by the jobcentre while you're still sorting your life out. The council should help with that.",
    ),
    (
        "i",
        "stability_relationships",
        "Letting young people come back home to their foster carers for Christmas and birthdays without it needing approval.",
    ),
    ("i", "asylum_refugee education", "English classes straight away. I waited a year for ESOL."),
    (
        "c",
        "records_access stability_relationships",
        "Life story work so we understand why we were in care. I'm 24 and still don't really know.",
    ),
    (
        "o",
        "pathway_plans_pas stability_relationships",
        "Allocation of a personal adviser by 16 and a planned, gradual handover from the social worker.",
    ),
    (
        "o",
        "housing",
        "Avoidance of homelessness: the number of care leavers presenting as homeless and the authority's response.",
    ),
    (
        "o",
        "employment_training education",
        "Participation in education, employment and training at 19, 20 and 21, and the quality of careers guidance from 14.",
    ),
    (
        "o",
        "voice data_monitoring",
        "Feedback from care leavers collected independently of the authority, for example through a survey run by Ofsted.",
    ),
    (
        "o",
        "health emotional_wellbeing",
        "Joint commissioning with health of emotional wellbeing services that continue beyond 18 without a new referral.",
    ),
]
