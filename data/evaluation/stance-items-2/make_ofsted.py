"""Writes ofsted.yaml (held-back stance items, set 2). Run from this folder."""
from _gen import render

R = dict(res=True)
rows = [
# ---- answers q1
("answer","q1","care_leaver",None,"SA","About time!! when i left care at 18 nobody checked on me for months. yes yes yes to this","yes yes yes to this","idiom informal_spelling yes_no",{}),
("answer","q1","young_person",None,"A","ye i think its a good idea tbh","ye i think its a good idea tbh","informal_spelling short",{}),
("answer","q1","foster_carer",None,"A","We support the idea of a separate judgement, although we worry that it will turn into another box-ticking exercise for already stretched teams.","We support the idea of a separate judgement","contrast late_reservation",R),
("answer","q1","council",None,"D","The council recognises why Ofsted wishes to give care leavers greater prominence. However, we do not believe a separate judgement is the right mechanism; it risks fragmenting the overall picture of a local authority's practice.","we do not believe a separate judgement is the right mechanism","concession contrast negation",R),
("answer","q1","charity",None,"SA","Care leavers have been an afterthought in inspection for far too long. A judgement of their own is essential and we wholeheartedly back it.","we wholeheartedly back it","plain",{}),
("answer","q1","parent",None,"DK","Honestly I'm not sure. I don't know enough about how inspections work to say.","Honestly I'm not sure.","dont_know",{}),
("answer","q1","professional",None,"N","Neutral. It could help or it could just add paperwork; time will tell.","Neutral.","short hedge",{"ok":["dont_know"]}),
("answer","q1","angry",None,"SD","Another Ofsted gimmick. Absolutely not. Fund the services instead of grading them to death.","Absolutely not.","short idiom",{}),
("answer","q1","off_topic",None,"NA","My grandson's school was downgraded last year and the inspector didn't even speak to the head of year. Strongly disagree with how that was handled.",None,"off_topic",{}),
("answer","q1","social_worker",None,"A","I wouldn't say I'm against it. It's probably a sensible step.","It's probably a sensible step.","double_negation hedge",{"ok":["neither"]}),
("answer","q1","academic",None,"D","The proposal is framed as strengthening accountability. On closer reading, however, it duplicates what the existing 'experiences and progress of children in care' judgement already covers, and we cannot support it.","we cannot support it","restated_then_rejected negation",R),
("answer","q1","care_leaver",None,"A","Yeah good. Means somebody actually has to look at what happens to us after 18.","Yeah good.","short informal_spelling",{}),
("answer","q1","independent_visitor",None,"A","It's not a bad idea at all.","It's not a bad idea at all.","negation double_negation short",{"ok":["strongly_agree"]}),
("answer","q1","mp",None,"SA","I strongly support this proposal. My constituents who have grown up in care tell me again and again that support falls off a cliff at 18.","I strongly support this proposal.","idiom",{}),
("answer","q1","council",None,"A","On balance we agree. A separate judgement will sharpen focus, though we would want clarity on how it relates to the overall effectiveness grade.","On balance we agree.","weighed_overall late_reservation",R),
("answer","q1","personal_adviser",None,"A","Better than what we have now, which is care leavers squeezed into a paragraph at the end of the report.","Better than what we have now","comparative",{}),
("answer","q1","angry",None,"SD","Oh brilliant, another grade. Because what care leavers really need is a fancier inspection report rather than a flat they can afford.","Oh brilliant, another grade.","sarcasm",{}),
("answer","q1","young_person",None,"NA","what is ILACS?? never heard of it",None,"question_back short informal_spelling",{"ok":["dont_know"]}),
("answer","q1","foster_carer",None,"A","Only if the inspectors actually speak to the young people themselves. If they do, then yes, I'm in favour.","If they do, then yes, I'm in favour.","conditional",R),
("answer","q1","charity",None,"D","We would support this if it came with extra funding for leaving-care teams. As it stands it does not, and so we oppose it.","As it stands it does not, and so we oppose it.","conditional contrast",R),
("answer","q1","professional_body",None,"A","Members were divided. Some felt it would add burden; others saw real value. Weighing the responses together, the association supports the proposal.","Weighing the responses together, the association supports the proposal.","weighed_overall multi_paragraph",R),
("answer","q1","resident",None,"NA","Why do we still have Ofsted at all? Who inspects the inspectors?",None,"question_back off_topic",{}),
("answer","q1","care_leaver",None,"SA","100%. should of happened years ago","100%.","short informal_spelling idiom",{}),
("answer","q1","social_worker",None,"D","It isn't that care leavers don't matter. They do. I just don't think this is needed, they are already looked at.","I just don't think this is needed","negation double_negation",{}),
("answer","q1","council",None,"N","We have no strong view either way on a separate judgement; what matters to us is the quality of the inspection framework behind it.","We have no strong view either way on a separate judgement","plain",{}),
("answer","q1","foster_carer",None,"DK","Can't really say. I can see arguments on both sides and I'm not in a position to judge.","Can't really say.","dont_know hedge",{"ok":["neither"]}),
("answer","q1","charity",None,"A","It is a step in the right direction, even if it is a small one.","It is a step in the right direction","idiom concession",{}),
("answer","q1","academic",None,"D","While a dedicated judgement has a certain appeal, the evidence from other inspection regimes suggests that adding grades narrows attention rather than widening it. We therefore disagree.","We therefore disagree.","concession weighed_overall",R),
("answer","q1","young_person",None,"SA","YES. finally someone is listening","YES.","short yes_no informal_spelling",{"ok":["agree"]}),
("answer","q1","parent",None,"D","No.","No.","short yes_no",{"ok":["strongly_disagree"]}),
("answer","q1","off_topic",None,"NA","I agree the consultation website was easy to use but the font was far too small on my phone.",None,"off_topic",{}),
("answer","q1","care_leaver",None,"A","I think it's a good thing but it won't mean much unless the grade actually leads to change. I've seen reports that say 'requires improvement' and nothing happens.","I think it's a good thing","late_reservation contrast",R),
("answer","q1","professional",None,"D","The argument for the proposal is that care leavers need visibility. I understand that argument, but visibility comes from good practice, not from another judgement, so I disagree.","so I disagree","restated_then_rejected concession",R),
("answer","q1","council",None,"A","We agree, subject to a proper pilot and clear guidance for authorities before grading begins.","We agree, subject to a proper pilot","conditional",R),
("answer","q1","angry",None,"D","Yeah, because what the system really lacks is more inspectors with clipboards. Count me out.","Count me out.","sarcasm idiom",{"ok":["strongly_disagree"]}),
("answer","q1","foster_carer",None,"A","Not opposed. Hopefully it makes a difference.","Not opposed.","negation short hedge",{"ok":["neither"]}),
("answer","q1","charity",None,"SA","This is long overdue and vital. Care leavers deserve a spotlight that does not dim at their eighteenth birthday.","This is long overdue and vital.","idiom",{}),
("answer","q1","young_person",None,"N","dunno if it matters to me either way tbh, i'm not bothered","i'm not bothered","informal_spelling hedge",{"ok":["dont_know"]}),
("answer","q1","resident",None,"DK","Would this cost more? I don't know enough to say yes or no.","I don't know enough to say yes or no.","question_back dont_know",{}),
("answer","q1","professional_body",None,"D","We are not convinced. The proposal does not explain how a separate judgement would be moderated consistently across regions.","We are not convinced.","negation",R),
("answer","q1","personal_adviser",None,"A","Mostly yes, though I'd keep it short and focused on outcomes rather than process.","Mostly yes","hedge late_reservation yes_no",R),
("answer","q1","mp",None,"NA","I would like to raise the wider issue of housing for young people in my constituency, which is at crisis point and which I strongly urge the government to address.",None,"off_topic",{}),
("answer","q1","care_leaver",None,"D","Sounds nice on paper, but another grade isn't going to get me a PA who calls back.","another grade isn't going to get me a PA who calls back","contrast idiom",R),
("answer","q1","academic",None,"A","A separate judgement is preferable to the status quo, in which care leavers' outcomes are diluted within a wider grade.","A separate judgement is preferable to the status quo","comparative",{}),
# ---- answers q3
("answer","q3","council",None,"D","January 2023 is far too soon. Authorities need at least a year to prepare for a new judgement.","January 2023 is far too soon.","plain",{"ok":["strongly_disagree"]}),
("answer","q3","charity",None,"SA","Yes, and the sooner the better. Every month of delay is another cohort let down.","the sooner the better","yes_no idiom",{}),
("answer","q3","care_leaver",None,"N","jan or later, dont mind which","dont mind which","short informal_spelling",{}),
("answer","q3","professional",None,"DK","I'm unsure whether local authorities would be ready by then.","I'm unsure whether local authorities would be ready by then.","dont_know hedge",{"ok":["disagree"]}),
("answer","q3","foster_carer",None,"N","The date makes no difference to me.","The date makes no difference to me.","short",{}),
("answer","q3","council",None,"A","We agree with the timing, provided that the updated framework and guidance are published at least three months beforehand.","We agree with the timing","conditional",R),
("answer","q3","angry",None,"SD","Rushing it in for January? Typical. No chance.","No chance.","question_back short idiom",{}),
("answer","q3","professional_body",None,"D","We understand Ofsted's wish to wait until every authority has had one inspection. That logic is sound, but the timetable still leaves too little time to train inspectors, so we disagree with January 2023.","so we disagree with January 2023","concession restated_then_rejected",R),
("answer","q3","young_person",None,"NA","when is the next time they come to my area??",None,"question_back off_topic informal_spelling",{}),
("answer","q3","social_worker",None,"A","It makes sense to wait until everyone has had a full inspection first. Seems reasonable.","Seems reasonable.","plain short",{}),
("answer","q3","council",None,"D","It is not unreasonable to want a start date, but January is not realistic for us.","January is not realistic for us.","double_negation contrast",R),
("answer","q3","charity",None,"A","Later would be better than never, but January seems fine.","January seems fine.","comparative hedge",{}),
("answer","q3","off_topic",None,"NA","I strongly agree that social workers are underpaid. They do an incredible job.",None,"off_topic",{}),
("answer","q3","care_leaver",None,"SA","Absolutely - don't delay it any more","Absolutely - don't delay it any more","short idiom negation",{}),
("answer","q3","academic",None,"N","The start date matters less than the design. We neither agree nor disagree with January 2023.","We neither agree nor disagree with January 2023.","plain",{}),
("answer","q3","professional",None,"A","I'd have preferred a slightly later start, but on the whole January is acceptable.","on the whole January is acceptable","weighed_overall comparative concession",R),
("answer","q3","foster_carer",None,"DK","No idea, sorry.","No idea, sorry.","short dont_know",{}),
("answer","q3","mp",None,"D","If Ofsted could guarantee that every authority would receive guidance by the autumn, I would back January. It cannot, so I do not.","It cannot, so I do not.","conditional negation",R),
("answer","q3","personal_adviser",None,"A","Yep.","Yep.","short yes_no",{}),
("answer","q3","resident",None,"D","Nope, too fast.","Nope, too fast.","short yes_no",{}),
("answer","q3","council",None,"SD","We strongly disagree. Introducing a new judgement mid-cycle, straight after the first round, gives authorities no chance to respond to their previous findings.","We strongly disagree.","plain",R),
("answer","q3","angry",None,"SD","Oh yes, let's do it in January, right when everyone is dealing with winter pressures. Genius planning.","Genius planning.","sarcasm",{}),
("answer","q3","charity",None,"A","We agree with the timing but would ask that the first reports under the new judgement are treated as a learning year.","We agree with the timing","late_reservation contrast",R),
("answer","q3","care_leaver",None,"NA","i dont get the question what do they mean by ilacs judgement inspection",None,"question_back informal_spelling",{"ok":["dont_know"]}),
("answer","q3","professional_body",None,"D","Some argue that January 2023 allows a fair baseline. We do not agree: the baseline would be out of date by then.","We do not agree","restated_then_rejected negation",R),
("answer","q3","foster_carer",None,"A","I can't see any reason not to start then.","I can't see any reason not to start then.","double_negation",{}),
("answer","q3","academic",None,"DK","Whether January 2023 is appropriate depends on evidence that the consultation does not provide, so I cannot say.","so I cannot say","dont_know conditional",{"ok":["neither"]}),
("answer","q3","social_worker",None,"D","Personally I'd push it back to September. January is too early.","January is too early.","comparative",R),
("answer","q3","young_person",None,"SA","asap!!! we've waited long enough","asap!!!","short informal_spelling idiom",{}),
("answer","q3","angry",None,"D","Great, January. Because nothing ever goes wrong when Ofsted rushes out a new framework.","Because nothing ever goes wrong when Ofsted rushes out a new framework.","sarcasm",R),
("answer","q3","council",None,"N","We are content either way as to the date; what matters is the quality of the guidance.","We are content either way as to the date","hedge",{}),
# ---- forms
("form","q1","care_leaver","A","A","","","short",{}),
("form","q1","foster_carer","SA","SA","Brilliant idea, well done Ofsted.","Brilliant idea","plain",{}),
("form","q1","council","D","D","It is not that we do not care about care leavers; we do. But a separate judgement would add to inspection burden without improving outcomes.","a separate judgement would add to inspection burden without improving outcomes","double_negation contrast",R),
("form","q1","charity","A","A","We broadly welcome the proposal but the criteria must be co-produced with care leavers.","We broadly welcome the proposal","contrast late_reservation hedge",R),
("form","q1","angry","SD","SD","","","short",{}),
("form","q1","young_person","SA","SA","Defo needed","Defo needed","short informal_spelling",{}),
("form","q1","professional","D","D","I agree that care leavers need more attention, but I don't think a separate judgement is the way to get it.","I don't think a separate judgement is the way to get it.","tick_agrees_but concession",R),
("form","q1","council","D","D","We agree with the intention behind this. However, a separate judgement risks distorting priorities.","However, a separate judgement risks distorting priorities.","tick_agrees_but contrast",R),
("form","q1","care_leaver","A","A","Not a good idea, just more paperwork.","Not a good idea, just more paperwork.","tick_conflict negation",{}),
("form","q1","foster_carer","D","D","Great idea, fully support it!","fully support it!","tick_conflict",{}),
("form","q1","parent","N","N","I fully back this.","I fully back this.","tick_conflict",{}),
("form","q1","social_worker",None,"A","Yes I think it would help focus minds.","Yes I think it would help focus minds.","blank_tick yes_no",{}),
("form","q1","resident",None,"DK","Not sure really.","Not sure really.","blank_tick dont_know short",{}),
("form","q1","charity",None,"NA","","","blank_tick",{}),
("form","q1","mp","N","N","","","short",{}),
("form","q3","council","A","A","We accept the proposed date.","We accept the proposed date.","plain",{}),
("form","q3","charity","D","D","We agree with waiting until every authority has been inspected, but January leaves too little preparation time.","January leaves too little preparation time","tick_agrees_but concession",R),
("form","q3","professional_body","D","D","We support the principle of a clear start date. January 2023, though, is unworkable.","January 2023, though, is unworkable.","tick_agrees_but contrast",R),
("form","q3","foster_carer","SD","SD","Oh great, January, loads of time to get ready then. Not.","loads of time to get ready then. Not.","sarcasm short",{}),
("form","q3","care_leaver","DK","DK","","","dont_know",{}),
("form","q3","young_person","SA","SA","January is far too late, it should start now.","January is far too late, it should start now.","tick_conflict comparative",R),
("form","q3","council","A","A","We cannot support January; the timetable is unrealistic.","We cannot support January","tick_conflict negation",{}),
("form","q3","professional",None,"D","Too early. Give authorities more time.","Too early.","blank_tick short",R),
("form","q3","personal_adviser",None,"A","Fine by me as long as the guidance is out in good time.","Fine by me as long as the guidance is out in good time.","blank_tick conditional",R),
("form","q3","parent",None,"NA","","","blank_tick",{}),
# ---- letters
("letter","q1","charity",None,"SA","""
Dear Sir or Madam,

We write on behalf of a national charity supporting young people leaving care. For too long the experiences of care leavers have been lost inside the wider children's services judgement, and we strongly support the introduction of a separate judgement focused on them.

In setting out what good looks like, we would urge Ofsted to listen directly to care leavers about housing, mental health support and access to education and work.

On timing, we would prefer an earlier start, but we understand the reasoning.

Yours faithfully,""","we strongly support the introduction of a separate judgement","multi_paragraph",{}),
("letter","q1","council",None,"D","""
Thank you for the opportunity to respond.

The council shares Ofsted's ambition for care leavers and is proud of its local offer. We have, however, significant concerns about the proposal to create a standalone judgement. In our view it would encourage authorities to treat leaving care as separate from the rest of a child's journey, when the best outcomes come from continuity.

We would also ask that any changes are accompanied by clear guidance and by sufficient notice before inspections begin.

We hope these comments are helpful.""","We have, however, significant concerns about the proposal to create a standalone judgement.","multi_paragraph concession contrast",R),
("letter","q1","foster_carer",None,"A","""
I have been a foster carer for twelve years and have seen several of my young people leave care.

When I read the proposal my first thought was that this is just another layer of inspection. Having thought about it more, I think it would be a good thing, because nobody is really held to account for what happens after 18 at the moment.

I do worry that the people doing the inspecting won't understand what life is actually like for these young people. Please make sure they talk to them.

Best wishes""","Having thought about it more, I think it would be a good thing","multi_paragraph restated_then_rejected late_reservation",R),
("letter","q1","care_leaver",None,"SA","""
hi,

im 20 and i left care two years ago. i just want to say i think this new judgement thing is a really really good idea and should deffo happen.

the worst bit for me was housing, i got put in a hostel with people way older than me and nobody from the council came to see me. if ofsted had to look at that maybe it would of been different.

thanks for reading""","i think this new judgement thing is a really really good idea and should deffo happen","multi_paragraph informal_spelling",{"ok":["agree"]}),
("letter","q1","academic",None,"D","""
I write as a researcher who has studied inspection frameworks for children's services for over a decade.

The case for a separate judgement rests on the claim that what is measured gets attention. There is some truth in this. Yet the literature on inspection suggests that additional graded judgements tend to produce compliance activity rather than improvement, and the consultation offers no evidence to the contrary. Overall, I do not support the proposal.

On the question of equality, I would note that the consultation document does not consider care leavers with disabilities or those who are unaccompanied asylum-seeking young people.

I would be happy to discuss these points further.""","Overall, I do not support the proposal.","multi_paragraph weighed_overall restated_then_rejected",R),
("letter","q1","professional_body",None,"A","""
Our association represents leaving-care managers across England.

We welcome the direction of travel set out in the consultation. A separate judgement is, on balance, a positive development, provided that inspectors are given specialist training and that the judgement reflects the realities of the housing market in different regions.

We are less certain about the proposed timescale and would welcome a conversation about phasing.

Kind regards""","A separate judgement is, on balance, a positive development","multi_paragraph weighed_overall conditional",R),
("letter","q1","mp",None,"NA","""
Dear Chief Inspector,

I am writing on behalf of a constituent who has raised concerns about the way an inspection of her son's residential children's home was carried out last spring. She tells me the inspectors spent less than an hour on site.

I would be grateful if you could look into this and let me know what steps Ofsted takes to make sure that inspections of children's homes are thorough.

Yours sincerely""",None,"multi_paragraph off_topic",{}),
("letter","q1","angry",None,"SD","""
To whoever reads these things,

I was in care in the 1990s and nobody gave a damn then either. Now you want to add a new judgement. Wonderful. I'm sure a new heading on a report will fix everything.

Stop wasting money on consultations and inspections and give it to the young people directly. I am completely against this proposal.""","I am completely against this proposal.","multi_paragraph sarcasm",{}),
("letter","q1","council",None,"NA","""
Please find below our response.

We would ask Ofsted, in setting out what good looks like, to recognise the role of corporate parenting boards and elected members, and to give weight to the views of young people themselves.

On timing, we believe that January 2023 is too early and would suggest April at the earliest.

We have no further comments.""",None,"multi_paragraph off_topic",{}),
("letter","q1","charity",None,"A","""
Dear consultation team,

Our small charity runs a drop-in for young people who have left care in the North West. We asked the young people who use our service what they thought, and most of them said a separate judgement could help, although a few said they had never heard of Ofsted.

We would add one caveat: unless the new judgement is backed by real scrutiny of housing and mental health services, it will not change much.

With thanks""","most of them said a separate judgement could help","multi_paragraph late_reservation conditional",R),
("letter","q1","resident",None,"DK","""
I saw this consultation mentioned in the local paper and thought I should reply.

I am a retired teacher and I have taught a few children in care over the years. I honestly don't know whether a separate judgement is the answer. I can see why you might want it, but I can't tell from the document whether it would make any difference in practice.

What I do know is that those children needed stable adults around them more than anything else.""","I honestly don't know whether a separate judgement is the answer.","multi_paragraph dont_know hedge",{}),
("letter","q3","council",None,"D","""
Dear Ofsted,

We welcome the focus on care leavers and support the principle of a separate judgement.

Our concern is with the timing. Introducing the judgement from January 2023 would give authorities only a few months to prepare, at a time when the sector is facing acute workforce pressures. We do not agree with this start date and would propose a start in the following financial year.

Yours faithfully""","We do not agree with this start date","multi_paragraph negation",R),
("letter","q3","charity",None,"SA","""
We are grateful for the chance to respond.

We are delighted that Ofsted intends to introduce a care leavers judgement and we fully endorse starting in January 2023. Waiting until every local authority has had one inspection is fair, and any further delay would let down young people who are leaving care right now.

In terms of what good looks like, we would stress the importance of staying-close and staying-put arrangements.""","we fully endorse starting in January 2023","multi_paragraph",{}),
("letter","q3","professional",None,"N","""
I am an independent reviewing officer and I am responding in a personal capacity.

The separate judgement is a sensible idea, and I hope it leads to better scrutiny of pathway planning.

As to when it starts, I have no particular view. January 2023 seems as good a date as any other, provided inspectors are ready.

Thank you.""","As to when it starts, I have no particular view.","multi_paragraph conditional",{"ok":["agree"]}),
("letter","q3","foster_carer",None,"NA","""
Dear Sir/Madam,

My husband and I have fostered for six years. We think any extra attention on care leavers is welcome.

What we would really like to see is better support for young people who stay with their foster carers after 18. The allowances are much lower and many carers simply cannot afford it.

Many thanks for listening.""",None,"multi_paragraph off_topic",{}),
("letter","q3","professional_body",None,"D","""
The association has consulted its members on both proposals.

On the separate judgement, members were broadly supportive.

On the timing, the view was less favourable. Members accept the rationale of waiting until all authorities have had a judgement inspection, but many felt that January 2023 would not allow enough time to embed the new criteria. Taking these points together, we disagree with the proposed start date.

We would welcome further engagement.""","Taking these points together, we disagree with the proposed start date.","multi_paragraph weighed_overall concession",R),
("letter","q3","young_person",None,"A","""
hiya

i'm in care at the moment and will be leaving next year. i think the new judgement is good.

my social worker told me it might start in january 2023 and i think thats ok, as long as they actually ask us what we think when they come.

thanks x""","i think thats ok, as long as they actually ask us what we think when they come","multi_paragraph informal_spelling conditional",R),
("letter","q3","council",None,"NA","""
Dear colleagues,

The council supports the introduction of a separate judgement for care leavers, and we set out below the factors we believe are most important.

First, stable and suitable accommodation. Second, access to emotional and mental health support. Third, opportunities in education, employment and training.

We hope these are helpful in shaping the evaluation criteria.""",None,"multi_paragraph off_topic",{}),
("letter","q3","mp",None,"SD","""
Dear Chief Inspector,

I have been contacted by the directors of children's services in my area, who are deeply concerned about this consultation.

While I support the aim of improving outcomes for care leavers, I strongly oppose introducing the new judgement as early as January 2023. Authorities in my area are still recovering from the pandemic and cannot reasonably be expected to prepare for a new framework in so short a time.

I look forward to your reply.""","I strongly oppose introducing the new judgement as early as January 2023","multi_paragraph concession",R),
("letter","q3","care_leaver",None,"D","""
I'm a care leaver and now I work in youth services.

I'm glad you're doing this. But not in January 2023 - that's too soon for councils to get their act together and I'd rather it was done properly than done quickly.

Please involve care leavers in writing the criteria.""","that's too soon for councils to get their act together","multi_paragraph comparative idiom",R),
]

render("ofsted.yaml", "../ofsted-docs/consultation.yaml", "o2", rows)
