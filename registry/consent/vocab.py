"""Vocabularies of product.md §2–§3: uses, decisions, modalities, channels, categories, territories."""

from django.db import models

from registry.core import labels, values
from registry.core.errors import DomainError


class Use(models.TextChoices):
    ADVERTISING = "advertising", "Advertising"
    EDITORIAL = "editorial", "Editorial, news and documentary"
    DIGITAL_ALTERATION = "digital_alteration", "Digital alteration"
    REPLICA_CREATION = "replica_creation", "Creating a digital replica"
    REPLICA_USE = "replica_use", "Using a digital replica"
    AI_TRAINING = "ai_training", "AI training"


# Uses that need separate, written consent by the talent in person (or a guardian): never a representative.
PERSONAL_CONSENT_USES = frozenset({Use.REPLICA_CREATION, Use.REPLICA_USE, Use.AI_TRAINING})


# Uses whose licenses always carry the AI-disclosure duty (product.md §3, license conditions).
AI_DISCLOSURE_USES = frozenset({Use.REPLICA_CREATION, Use.REPLICA_USE, Use.DIGITAL_ALTERATION})


class Decision(models.TextChoices):
    ALLOW = "allow", "Allowed under its conditions"
    LICENSE = "license", "Only with a license I approve"
    DENY = "deny", "Not allowed"


class Outcome(models.TextChoices):
    """The answer of a permission check."""

    PERMITTED = "permitted", "Permitted"
    LICENSE_REQUIRED = "license_required", "License required"
    DENIED = "denied", "Denied"
    NOT_REGISTERED = "not_registered", "Not registered"


class Modality(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"
    VOICE = "voice", "Voice"


class Channel(models.TextChoices):
    PRINT = "print", "Print"
    ONLINE = "online", "Online"
    SOCIAL = "social", "Social media"
    BROADCAST = "broadcast", "Broadcast"
    OUT_OF_HOME = "out_of_home", "Out-of-home"
    FILM_TV = "film_tv", "Film and TV"
    GAMES = "games", "Games"


DEFAULT_EXCLUDED_CATEGORIES = {
    "political": "Political",
    "adult": "Adult",
    "tobacco": "Tobacco",
    "alcohol": "Alcohol",
    "gambling": "Gambling",
    "weapons": "Weapons",
    "pharmaceutical": "Pharmaceutical",
    "religious": "Religious",
    "cosmetic_surgery": "Cosmetic surgery",
}

# Categories a minor can never be used for, whatever the terms or licenses say (product.md §3 rule 1b).
MINOR_PROTECTED_CATEGORIES = frozenset(
    {"adult", "alcohol", "tobacco", "gambling", "weapons", "cosmetic_surgery"}
)

# What people type for the default categories; staff add more on ProductCategory.synonyms.
DEFAULT_CATEGORY_SYNONYMS = {
    "alcohol": ("wine", "beer", "spirits", "liquor", "vodka", "whisky", "whiskey", "cider", "champagne"),
    "tobacco": ("cigarettes", "cigarette", "cigars", "vaping", "vape", "e-cigarettes", "nicotine", "snus"),
    "gambling": ("betting", "casino", "casinos", "lottery", "sports-betting", "poker"),
    "weapons": ("guns", "firearms", "ammunition", "knives"),
    "adult": ("porn", "pornography", "erotica", "sex"),
    "cosmetic_surgery": ("plastic_surgery", "plastic-surgery", "botox", "fillers"),
    "pharmaceutical": ("drugs", "medicine", "prescription"),
    "political": ("politics", "election", "elections"),
}

WORLDWIDE = "worldwide"

# ISO 3166-1 alpha-2, officially assigned codes.
ISO_COUNTRIES = frozenset(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
    BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
    DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
    GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
    KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
    PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
    SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
    VN VU WF WS YE YT ZA ZM ZW
    """.split()
)

USES = frozenset(u.value for u in Use)
MODALITIES = frozenset(m.value for m in Modality)
CHANNELS = frozenset(c.value for c in Channel)
CURRENCIES = values.CURRENCIES


class VocabularyError(DomainError):
    """An unknown use, modality, channel, territory or category: a 400 with a stable code, not a decision."""


def check_use(value) -> str:
    if not isinstance(value, str) or value not in USES:
        raise VocabularyError(
            "unknown_use", f"Unknown use {value!r}. Known uses: {', '.join(sorted(USES))}.", "use"
        )
    return value


def check_modality(value) -> str:
    if not isinstance(value, str) or value not in MODALITIES:
        raise VocabularyError(
            "unknown_modality",
            f"Unknown modality {value!r}. Known: {', '.join(sorted(MODALITIES))}.",
            "modality",
        )
    return value


def check_channel(value) -> str:
    if not isinstance(value, str) or value not in CHANNELS:
        raise VocabularyError(
            "unknown_channel", f"Unknown channel {value!r}. Known: {', '.join(sorted(CHANNELS))}.", "channel"
        )
    return value


def check_territory(value, *, allow_worldwide: bool = False) -> str:
    if allow_worldwide and value == WORLDWIDE:
        return value
    if not isinstance(value, str) or value not in ISO_COUNTRIES:
        hint = " or 'worldwide'" if allow_worldwide else ""
        raise VocabularyError(
            "unknown_territory",
            f"Unknown territory {value!r}: use an ISO 3166-1 alpha-2 code in upper case (e.g. US, DE){hint}.",
            "territory",
        )
    return value


def check_category(value, known: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in known:
        raise VocabularyError(
            "unknown_product_category",
            f"Unknown product category {value!r}. Known: {', '.join(sorted(known))}.",
            "product_category",
        )
    return value


labels.register("use", Use)
labels.register("decision", Decision)
labels.register("outcome", Outcome)
labels.register("modality", Modality)
labels.register("channel", Channel)
labels.register("category", DEFAULT_EXCLUDED_CATEGORIES)
