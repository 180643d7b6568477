"""Hand-written answers to Q3 (start in January 2023), Q4 (additional comments) and
Q5 (Public Sector Equality Duty), and the non-answers respondents write.

Voices as in pools_q1.py. Q3 entries: (voice, stance, themes, text); Q4/Q5 entries: (voice, themes, text).
Every substantive text is used at most once by make_survey.py; non-answers repeat.
"""

Q3 = [
    (
        "i",
        "strongly_agree",
        "timing",
        "The sooner the better. Every month you wait is more young people let down.",
    ),
    ("i", "agree", "", "January is fine."),
    ("i", "agree", "timing", "Yes, no reason to delay."),
    ("i", "agree", "", "Makes sense to wait until every council has had an inspection first."),
    ("i", "disagree", "timing", "Too soon. Councils need time to get ready or they'll just fail."),
    ("i", "strongly_agree", "timing", "Should have been done years ago, start now."),
    ("i", "neither", "", "Don't really mind when, just that it happens."),
    (
        "i",
        "disagree",
        "timing national_reforms",
        "Wait until the care review changes are known, otherwise you will have to change it all again.",
    ),
    ("i", "strongly_disagree", "", "Shouldn't happen at all so no."),
    ("i", "agree", "timing", "January 2023 gives councils a few months' notice which seems fair."),
    (
        "o",
        "agree",
        "timing",
        "The authority agrees with the proposed timescale, provided the final evaluation criteria are published in good time.",
    ),
    (
        "o",
        "disagree",
        "timing",
        "We would propose a later start date of September 2023 to allow authorities to self-evaluate against the new criteria.",
    ),
    (
        "o",
        "disagree",
        "timing national_reforms",
        "We disagree. Introducing the judgement before the Government's implementation strategy for the care review risks criteria that are quickly out of date.",
    ),
    (
        "o",
        "strongly_agree",
        "timing",
        "We strongly agree and would support an earlier start if that were possible.",
    ),
    (
        "o",
        "neither",
        "timing",
        "We have no strong view on timing, but ask for at least three months between publication of the criteria and the first inspections.",
    ),
    (
        "o",
        "agree",
        "",
        "Agree. Authorities have been aware of the direction of travel for some time.",
    ),
    (
        "o",
        "disagree",
        "workforce timing",
        "The timescale is too tight given current workforce pressures in leaving care teams.",
    ),
    (
        "o",
        "strongly_disagree",
        "timing",
        "January 2023 is wholly unrealistic. Authorities will be inspected against criteria they have had no opportunity to prepare for.",
    ),
    (
        "a",
        "agree",
        "timing",
        "January 2023 seems reasonable as long as there is guidance before then.",
    ),
    (
        "a",
        "disagree",
        "timing",
        "A phased introduction would be better, starting with a pilot in a few authorities.",
    ),
    ("i", "agree", "", "Yes that's fair enough."),
    ("i", "neither", "", "I don't know enough about how inspections are scheduled to say."),
    ("i", "strongly_agree", "", "Agree 100%."),
    (
        "o",
        "agree",
        "timing",
        "We agree with January 2023; delay would send the wrong message to care leavers.",
    ),
    (
        "i",
        "disagree",
        "",
        "Disagree. Get the criteria right first with care leavers' input, then start.",
    ),
    ("o", "neither", "", "Our members' views on timing were mixed."),
    ("i", "agree", "", "Start when you're ready but don't drag it out."),
    ("i", "strongly_agree", "", "yes asap"),
    (
        "o",
        "agree",
        "timing",
        "Agree. The proposed date fits sensibly after the current cycle of judgement inspections.",
    ),
    (
        "i",
        "disagree",
        "timing",
        "Seems rushed. Social work teams I know have no idea this is coming.",
    ),
    (
        "a",
        "strongly_agree",
        "timing",
        "Strongly agree with the timing; care leavers cannot wait any longer.",
    ),
    ("i", "neither", "timing", "Neutral on the date, more worried about what happens in practice."),
    (
        "o",
        "disagree",
        "timing",
        "The council would ask for a start date no earlier than April 2023.",
    ),
    ("i", "agree", "", "fine by me"),
    ("o", "strongly_agree", "", "Strongly agree."),
    ("i", "disagree", "timing", "No, give councils a year at least."),
    ("i", "agree", "timing", "Yes. If councils aren't ready by January they never will be."),
    ("o", "agree", "timing", "The trust agrees with the January 2023 start date."),
    (
        "i",
        "neither",
        "",
        "Not bothered about the date, bothered about whether it changes anything.",
    ),
    (
        "o",
        "disagree",
        "timing workforce",
        "A later date would allow inspectors to be trained in leaving care practice first.",
    ),
    ("i", "strongly_agree", "timing", "January, and not a day later."),
]

Q3_CONFLICTS = [
    ("i", "strongly_agree", "disagree", "timing", "It's far too early, councils won't be ready."),
    ("o", "disagree", "agree", "timing", "We support the January 2023 date."),
    ("i", "agree", "strongly_disagree", "timing", "Absolutely not January, way too soon."),
]

Q4 = [
    ("i", "voice", "Please make sure the report is written so care leavers can understand it."),
    ("i", "", "Thank you for doing this. It means a lot that someone is looking."),
    (
        "i",
        "workforce",
        "Inspectors should have experience of leaving care work, not just children's social work.",
    ),
    ("i", "voice workforce", "Have care leavers on the inspection team."),
    ("i", "", "I hope this actually changes something and isn't just another consultation."),
    (
        "i",
        "housing",
        "Please look at young people placed out of area in supported accommodation. Nobody visits them.",
    ),
    ("i", "financial", "Cost of living is killing us. £58 a week doesn't go anywhere."),
    ("i", "records_access", "Please look at how long councils take to hand over care files."),
    ("i", "", "Ofsted should come and see for themselves without warning the council first."),
    ("i", "lifelong_support", "Care leavers over 25 exist too!!"),
    ("i", "", "Good luck, I hope it works."),
    (
        "i",
        "voice",
        "Make it easy for care leavers to contact inspectors directly during an inspection.",
    ),
    (
        "i",
        "emotional_wellbeing",
        "The number of care leavers who die young through suicide or overdose should be looked at in every inspection.",
    ),
    (
        "o",
        "workforce",
        "We would welcome the inclusion of an experienced leaving care practitioner in each inspection team.",
    ),
    (
        "o",
        "data_monitoring",
        "We would ask Ofsted to minimise additional data requests and draw on the existing SSDA903 return wherever possible.",
    ),
    (
        "o",
        "national_reforms",
        "The criteria should be reviewed once the Government's response to the care review is published.",
    ),
    (
        "o",
        "",
        "We would welcome the opportunity to comment on the draft evaluation criteria before they are finalised.",
    ),
    (
        "o",
        "leadership_corporate_parenting",
        "The judgement should explicitly consider the contribution of partners such as district councils, the DWP and health services.",
    ),
    (
        "o",
        "",
        "We welcome Ofsted's engagement on this issue and would be happy to share our experience.",
    ),
    (
        "o",
        "voice",
        "We would encourage Ofsted to publish a young people's version of this consultation and its outcome.",
    ),
    (
        "o",
        "data_monitoring",
        "Consider publishing a national summary of care leaver judgements annually so that trends can be tracked.",
    ),
    (
        "o",
        "workforce",
        "Please consider the impact of the new judgement on the recruitment and retention of personal advisers.",
    ),
    (
        "a",
        "",
        "Please keep the judgement focused on young people's experiences rather than on compliance with processes.",
    ),
    (
        "a",
        "stability_relationships",
        "The link between the children in care judgement and this one must be clear, since the quality of care before 18 shapes everything after.",
    ),
    (
        "i",
        "asylum_refugee",
        "Don't forget the young people who came here alone. They are care leavers too.",
    ),
    ("i", "education", "Look at how many care leavers go to university and how many drop out."),
    (
        "p",
        "",
        "I'm a grandparent who looked after my grandson under a special guardianship order. He gets none of this support. Is that fair?",
    ),
    (
        "o",
        "equality",
        "We hope Ofsted will consider care experience as if it were a protected characteristic in its own work.",
    ),
    ("i", "", "why is this survey so long and hard to understand"),
    ("i", "health", "Please look at access to GPs for care leavers who move a lot."),
    (
        "i",
        "",
        "I only found out about this consultation by chance. You need to advertise it to care leavers properly.",
    ),
    (
        "f",
        "stability_relationships",
        "Please ask foster carers too. We often stay in touch with young people long after the council has.",
    ),
    (
        "o",
        "",
        "We support the proposals and look forward to the publication of the revised framework.",
    ),
    (
        "o",
        "data_monitoring",
        "Ofsted should publish the evidence base for the new evaluation criteria.",
    ),
    ("i", "employment_training", "Look at how many care leavers the council itself employs."),
    (
        "a",
        "leadership_corporate_parenting",
        "Elected members should be interviewed as part of the judgement; they are the corporate parents.",
    ),
]

Q5 = [
    (
        "i",
        "equality",
        "Black care leavers get treated differently, I know that from my own experience.",
    ),
    (
        "i",
        "equality",
        "Disabled care leavers get forgotten. My brother has autism and got no leaving care support at all.",
    ),
    (
        "i",
        "asylum_refugee equality",
        "Unaccompanied young people face racism and the system treats them as a problem.",
    ),
    (
        "i",
        "equality",
        "Young mums who are care leavers get judged and watched more than other mums.",
    ),
    ("i", "equality", "LGBTQ+ young people in care face extra risks and should be considered."),
    (
        "o",
        "equality data_monitoring",
        "Authorities should be expected to analyse care leavers' outcomes by protected characteristic and act on disparities.",
    ),
    (
        "o",
        "equality",
        "Care leavers with learning disabilities are disproportionately likely to be placed in unsuitable accommodation.",
    ),
    (
        "o",
        "asylum_refugee",
        "Former unaccompanied asylum-seeking children, who are predominantly young men from a small number of countries, may be particularly affected by the quality of leaving care support.",
    ),
    (
        "o",
        "equality",
        "We would welcome consideration of care experience as a characteristic in Ofsted's own equality impact assessment.",
    ),
    (
        "o",
        "equality socioeconomic",
        "The proposals should consider intersecting disadvantage: care leavers from minority ethnic backgrounds living in deprived areas face compounded barriers.",
    ),
    (
        "o",
        "equality",
        "Pregnant care leavers and young parents should be considered under the pregnancy and maternity characteristic.",
    ),
    ("c", "equality", "Religion matters too. I wasn't allowed to go to mosque in one placement."),
    (
        "a",
        "equality",
        "Gypsy, Roma and Traveller young people leaving care are rarely mentioned and their needs are poorly understood.",
    ),
    (
        "i",
        "socioeconomic",
        "Kids from poor areas end up in care more and then leave care with nothing. Its a cycle.",
    ),
    (
        "o",
        "equality",
        "We are not aware of negative impacts, but positive impacts are likely for disabled care leavers if the criteria address transitions to adult social care.",
    ),
    (
        "i",
        "equality",
        "Young carers and care leavers with disabilities need the info in easy read.",
    ),
    (
        "o",
        "asylum_refugee equality",
        "Trafficked young people and those with insecure immigration status may be unable to access mainstream services and should be explicitly considered.",
    ),
    (
        "i",
        "equality",
        "Boys and young men leaving care are more likely to end up in prison. That should be looked at.",
    ),
]

# Non-answers (repeat freely). "dont know" style ones only for Q3/Q1 text is avoided.
NON_ANSWERS = [
    "No comment",
    "N/A",
    "n/a",
    "None",
    "Nothing to add",
    "No further comments.",
    "Nothing further to add.",
    "no",
    "-",
    "Not applicable",
    "No comments",
    "NA",
    "none.",
    "No.",
    "Nothing more to say",
]
NON_ANSWERS_ORG = [
    "We have not identified any equality impacts.",
    "We have no further comments.",
    "The council has no further comments to make.",
    "We have not identified any impacts for the purposes of the Public Sector Equality Duty.",
    "No representations.",
    "None identified.",
]
