"""The demo's training: the seven modules of the demo organisation, with content drawn
from the charity's practice, and records spread so every status appears.

Idempotent: a module that exists is left as editors may have changed it, and a record
or exemption that exists is not made again.
"""

from datetime import timedelta

from django.core.files.base import ContentFile

from people.history import afternoon_of, recorded_at
from people.models import Service

from . import services
from .models import TrainingExemption, TrainingIndexPage, TrainingModulePage, TrainingRecord

RECOVERY_CENTRE = "Rehabilitation and Recovery Centre"


def text(*paragraphs):
    return {"type": "text", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}


def outcomes(*items):
    return {
        "type": "learning_outcomes",
        "value": {
            "heading": "By the end of this module you will be able to",
            "outcomes": list(items),
        },
    }


def single(question, answers, right, feedback):
    return {
        "type": "single_choice",
        "value": {
            "question": question,
            "answers": [{"text": text, "correct": n == right} for n, text in enumerate(answers)],
            "feedback": feedback,
        },
    }


def several(question, answers, right, feedback):
    return {
        "type": "multiple_choice",
        "value": {
            "question": question,
            "answers": [{"text": text, "correct": n in right} for n, text in enumerate(answers)],
            "feedback": feedback,
        },
    }


def true_or_false(statement, answer, feedback):
    return {
        "type": "true_false",
        "value": {"statement": statement, "answer": answer, "feedback": feedback},
    }


# Our data protection check: the charity's practice and ordinary UK GDPR, six questions
# of which each attempt asks five.
DATA_PROTECTION_CHECK = [
    single(
        "You can see the NHS record of someone you are about to meet for the first time. "
        "What do you read?",
        [
            "All of it, so you are fully prepared",
            "Only what you need: usually a quick check with staff about risk",
            "Nothing, even when staff say there is a risk",
        ],
        1,
        "We choose not to know more than we need: knowledge is power. A quick check about "
        "risk is usually enough, and it keeps the relationship equal.",
    ),
    true_or_false(
        "Information about someone's mental health is special category data under UK GDPR.",
        "true",
        "Health information, mental health included, is special category data. It needs "
        "extra care and a clear reason before it is used or shared.",
    ),
    several(
        "Which of these belong in your notes after a one-to-one?",
        [
            "That you met, when and where",
            "A real concern, such as a safeguarding worry, written factually",
            "What the person told you about their past",
            "Your opinion of their family",
        ],
        {0, 1},
        "We record that we met, not what was said, unless there is a real concern. Keep "
        "notes short and factual, as if the person were reading them with you.",
    ),
    single(
        "You notice you emailed notes about someone to the wrong person. What do you do?",
        [
            "Wait and see whether anyone notices",
            "Tell your manager straight away, so it can be dealt with and reported in time",
            "Delete the email from your sent items",
        ],
        1,
        "A data breach must be reported quickly: a serious one has to reach the Information "
        "Commissioner's Office within 72 hours. Telling your manager at once is always "
        "right, and nobody is blamed for reporting a mistake.",
    ),
    true_or_false(
        "It is all right to look up a neighbour on the NHS system if you are worried about them.",
        "false",
        "Use NHS and charity systems only for the work in front of you. Looking someone up "
        "out of worry or kindness is still a breach of their privacy.",
    ),
    single(
        "Someone you support asks to see what we hold about them. What is this?",
        ["A subject access request", "A freedom of information request", "A complaint"],
        0,
        "Anyone can ask for a copy of the information held about them. It is a subject "
        "access request, usually answered within one month: pass it to your manager the "
        "same day.",
    ),
]


MODULES = [
    {
        "title": "Safeguarding",
        "slug": "safeguarding",
        "provider": "both",
        "renewal_months": 36,
        "induction_days": 28,
        "summary": "Recognising abuse and neglect, and what to do when you are worried about "
        "someone. You do it with the NHS and with us, because you work in both.",
        "body": [
            text(
                "As a peer support worker you often hear things other staff do not. People "
                "tell you about their lives because the relationship is an equal one. "
                "Safeguarding training helps you notice when someone may be at risk of harm "
                "and know what to do next, without losing that trust.",
                "The NHS course covers the Trust's policy and who to go to in your team. "
                "Our course covers how we work: talking to your manager, recording only what "
                "is needed, and telling the person, wherever it is safe, what you are doing "
                "and why.",
            ),
            outcomes(
                "recognise the main kinds of abuse and neglect, including self-neglect",
                "respond when someone discloses abuse: listen, stay calm, do not promise secrecy",
                "raise a concern through the NHS team and through us",
                "record a concern factually, keeping to what the person said",
            ),
        ],
    },
    {
        "title": "Data protection",
        "slug": "data-protection",
        "provider": "both",
        "renewal_months": 12,
        "summary": "Keeping people's information safe, and knowing only what you need to "
        "know. Refreshed every year with both the NHS and us.",
        "body": [
            text(
                "You may be able to see NHS records about the people you work with. Our "
                "approach is that knowledge is power: we choose not to read more than we "
                "need. Most of the time a quick check with staff about risk is enough.",
                "We record that we met someone, not what was said, unless there is a real "
                "concern. This module explains the law behind that and the rules of each "
                "organisation's systems.",
            ),
            outcomes(
                "explain what personal and special category data are",
                "use NHS and charity systems only for the work in front of you",
                "keep notes short and factual, and share them only with those who need them",
                "report a data breach quickly, to the right person",
            ),
        ],
        "check_questions": DATA_PROTECTION_CHECK,
        "check_question_count": 5,
    },
    {
        "title": "Trauma-informed practice",
        "slug": "trauma-informed-practice",
        "provider": "nhs",
        "renewal_months": 36,
        "evidence_required": True,
        "summary": "Trauma awareness, relationships and trust, and the importance of not "
        "writing anyone off. Delivered by the NHS.",
        "body": [
            text(
                "Many people you support have lived through trauma and abuse, and because of "
                "the relationship you build, you will hear about it. This course helps you "
                "hear it and sit with the person, rather than rush to fix things.",
                "It covers how past trauma shapes relationships and trust, why some services "
                "feel unsafe to people, and why nobody should be written off. Peer support "
                "workers have found it validates the way they already work.",
                "It also covers grounding: helping someone who is having flashbacks come back "
                "to the present, for example with breathing exercises or music they choose.",
            ),
            outcomes(
                "describe how trauma can affect relationships, trust and use of services",
                "respond to a disclosure by listening and staying with the person",
                "offer simple grounding techniques when someone is overwhelmed",
                "look after yourself after hearing difficult things, and use supervision for it",
            ),
        ],
    },
    {
        "title": "Sharing lived experience in clinical settings",
        "slug": "sharing-lived-experience",
        "provider": "nhs",
        "renewal_months": None,
        "summary": "When sharing your own experience helps the person, when it does not, "
        "and how to keep yourself safe. Delivered by the Trust.",
        "body": [
            text(
                "Your lived experience is what makes peer support different. This course "
                "is about using it well: sharing only when it helps the person in front of "
                "you, without over-sharing or making the conversation about you.",
                "It is also about keeping yourself safe: deciding in advance what you are "
                "happy to share, and noticing when sharing would cost you too much. Some "
                "peer support workers also share their experience within the staff team, to "
                "challenge language or assumptions about people who use services.",
            ),
            outcomes(
                "decide whether sharing a part of your story will help the person",
                "share briefly and bring the focus back to them",
                "set your own limits on what you share, and keep to them",
                "use your experience to challenge unhelpful language in a team",
            ),
        ],
    },
    {
        "title": "Peer support facilitator training",
        "slug": "peer-support-facilitator-training",
        "provider": "employer",
        "renewal_months": None,
        "induction_days": 180,
        "summary": "Our own training in running peer support, one to one and in groups, "
        "built on an equal relationship.",
        "body": [
            text(
                "This is where our model of peer support starts: an equal relationship, "
                "with as little power as possible on either side, and your own experience "
                "offered when it helps.",
                "You practise facilitating groups, from an introduction to group work to "
                "groups on assertiveness, self-esteem, managing mood and mindfulness, and "
                "adapting the model one to one for people who find groups hard.",
            ),
            outcomes(
                "explain the charity's model of peer support and why equality matters in it",
                "plan and facilitate a peer support group session",
                "adapt the approach for one-to-one work on a ward or in a team",
                "bring what you notice to supervision",
            ),
        ],
    },
    {
        "title": "PMVA breakaway",
        "slug": "pmva-breakaway",
        "provider": "nhs",
        "renewal_months": 12,
        "evidence_required": True,
        # Required on the wards: PSWs offering in-reach there are placed in them.
        "services": ["Inpatient unit 1", "Inpatient unit 2"],
        "summary": "Breakaway techniques to get yourself safely out of a situation. Peer "
        "support workers do not take part in control and restraint.",
        "body": [
            text(
                "The NHS's training in the prevention and management of violence and "
                "aggression (PMVA) has several parts. Peer support workers do the breakaway "
                "part only: simple ways to get free and leave if someone grabs you.",
                "You do not take part in control and restraint. At the Recovery Centre there "
                "is also a policy of no physical contact, so breakaway is there for your "
                "safety, not for managing anyone else.",
            ),
            outcomes(
                "notice early signs that a situation is becoming unsafe, and step back",
                "use the breakaway techniques taught on the course",
                "explain why peer support workers do not take part in control and restraint",
            ),
        ],
    },
    {
        "title": "Speech and language",
        "slug": "speech-and-language",
        "provider": "nhs",
        "renewal_months": None,
        "services": [RECOVERY_CENTRE],
        "issues_certificate": False,
        "summary": "Communicating well with people who find speech or language hard, taught "
        "by the Recovery Centre's speech and language therapists.",
        "body": [
            text(
                "Some people at the Recovery Centre have difficulties with speech, language "
                "or understanding, after long stays in hospital or because of medication. "
                "The Centre's speech and language therapists show you how to adjust the way "
                "you talk, so the person can take part as an equal.",
            ),
            outcomes(
                "use short sentences, plain words and time to answer",
                "check understanding without testing the person",
                "use pictures or writing when talking is hard",
            ),
        ],
    },
]

# username: (module slug, provider, days before today completed, who records, outcome)
RECORDS = {
    "psw1": [
        ("safeguarding", "nhs", 400, "manager", "verified"),
        ("safeguarding", "employer", 380, "manager", "verified"),
        ("data-protection", "nhs", 330, "manager", "verified"),  # expiring
        ("data-protection", "employer", 100, "manager", "verified"),
        ("trauma-informed-practice", "nhs", 500, "manager", "verified"),
        ("sharing-lived-experience", "nhs", 700, "manager", "verified"),
        ("peer-support-facilitator-training", "employer", 1300, "manager", "verified"),
        ("pmva-breakaway", "nhs", 200, "manager", "verified"),
        ("speech-and-language", "nhs", 10, "self", "pending"),
    ],
    "psw2": [
        ("safeguarding", "nhs", 200, "manager", "verified"),
        ("safeguarding", "employer", 250, "manager", "verified"),
        ("data-protection", "nhs", 420, "manager", "verified"),  # expired
        ("data-protection", "employer", 420, "manager", "verified"),
        ("data-protection", "employer", 5, "self", "pending"),  # pending over expired
        ("trauma-informed-practice", "nhs", 300, "manager", "verified"),
        ("sharing-lived-experience", "nhs", 600, "manager", "verified"),
        ("peer-support-facilitator-training", "employer", 850, "manager", "verified"),
        ("pmva-breakaway", "nhs", 320, "manager", "verified"),  # expiring
    ],
    "psw3": [
        ("safeguarding", "nhs", 600, "manager", "verified"),
        ("safeguarding", "employer", 610, "manager", "verified"),
        ("data-protection", "nhs", 60, "manager", "verified"),
        ("data-protection", "employer", 60, "manager", "verified"),
        ("peer-support-facilitator-training", "employer", 1000, "manager", "verified"),
        ("pmva-breakaway", "nhs", 500, "manager", "verified"),  # expired
    ],
    "psw4": [
        ("safeguarding", "nhs", 300, "manager", "verified"),
        ("safeguarding", "employer", 1065, "manager", "verified"),  # expiring
        ("data-protection", "nhs", 150, "manager", "verified"),
        ("data-protection", "employer", 150, "manager", "verified"),
        ("trauma-informed-practice", "nhs", 40, "self", "rejected"),
        ("trauma-informed-practice", "nhs", 400, "manager", "verified"),
        ("sharing-lived-experience", "nhs", 500, "manager", "verified"),
        ("peer-support-facilitator-training", "employer", 650, "manager", "verified"),
        ("pmva-breakaway", "nhs", 90, "manager", "verified"),
    ],
    "psw6": [
        # A new starter: the charity's data protection done in the first week, the rest
        # due by the end of each induction period.
        ("data-protection", "employer", 3, "self", "pending"),
    ],
    "psw5": [
        ("safeguarding", "nhs", 150, "manager", "verified"),
        ("safeguarding", "employer", 20, "self", "pending"),
        ("data-protection", "nhs", 150, "manager", "verified"),
        ("data-protection", "employer", 150, "manager", "verified"),
        ("peer-support-facilitator-training", "employer", 120, "manager", "verified"),
    ],
}

REJECTION = (
    "The certificate attached is for a different course. Please upload the one from the "
    "Trust's trauma-informed practice day."
)

# username, module slug, provider (None: both), reason, starts (days ago), ends (days ahead)
EXEMPTIONS = [
    (
        "psw3",
        "trauma-informed-practice",
        None,
        "Phased return to work after a period of leave; booked on the next course.",
        30,
        150,
    ),
]

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed_training(*, people, today):
    """Create the modules, records and exemptions of the demo; safe to run again."""
    modules = {spec["slug"]: seed_module(spec) for spec in MODULES}
    manager = people["manager"]
    for username, entries in RECORDS.items():
        for slug, provider, days_ago, who, outcome in entries:
            seed_record(
                person=people[username],
                module=modules[slug],
                provider=provider,
                completed_on=today - timedelta(days=days_ago),
                by=manager if who == "manager" else people[username],
                outcome=outcome,
                manager=manager,
            )
    for username, slug, provider, reason, starts, ends in EXEMPTIONS:
        seed_exemption(
            person=people[username],
            module=modules[slug],
            provider=provider,
            reason=reason,
            starts_on=today - timedelta(days=starts),
            ends_on=today + timedelta(days=ends),
            by=manager,
        )
    return modules


def seed_module(spec):
    index = TrainingIndexPage.objects.get()
    existing = index.get_children().filter(slug=spec["slug"]).specific().first()
    if existing is not None:
        return existing
    fields = {key: value for key, value in spec.items() if key != "services"}
    page = TrainingModulePage(**fields)
    index.add_child(instance=page)
    if spec.get("services"):
        page.services.set(Service.objects.filter(name__in=spec["services"]))
    page.save_revision().publish()
    return page


def seed_record(*, person, module, provider, completed_on, by, outcome, manager):
    if TrainingRecord.objects.filter(
        person=person, module=module, provider=provider, status=outcome
    ).exists():
        return
    evidence = None if by == manager else ContentFile(DEMO_PDF, name="certificate.pdf")
    with recorded_at(afternoon_of(completed_on + timedelta(days=1))):
        record = services.record_create(
            person=person,
            module=module,
            provider=provider,
            completed_on=completed_on,
            evidence=evidence,
            notes="" if by == manager else "Certificate attached.",
            by=by,
        )
    if outcome == "rejected":
        with recorded_at(afternoon_of(completed_on + timedelta(days=3))):
            services.record_reject(record=record, by=manager, reason=REJECTION)


def seed_exemption(*, person, module, provider, reason, starts_on, ends_on, by):
    if TrainingExemption.objects.filter(person=person, module=module).exists():
        return
    with recorded_at(afternoon_of(starts_on)):
        services.exemption_grant(
            person=person,
            module=module,
            provider=provider,
            reason=reason,
            starts_on=starts_on,
            ends_on=ends_on,
            by=by,
        )
