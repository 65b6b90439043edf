"""Serializer fields for the vocabularies of product.md §2–§3, so that the OpenAPI schema names an enum for
each (UseEnum, ModalityEnum, ChannelEnum, TerritoryEnum, …; names fixed in settings ENUM_NAME_OVERRIDES).

Most API inputs are not validated by these fields: the services check each value and answer its own stable
code (unknown_use, unknown_modality, unknown_territory, …). The fields describe the shapes, and validate only
where a serializer validates (e.g. a misuse report).
"""

from rest_framework import serializers

from registry.consent.vocab import ISO_COUNTRIES, WORLDWIDE, Channel, Decision, Modality, Outcome, Use

# ISO 3166-1 alpha-2 codes, sorted (an enum's values keep one order from one release to the next).
TERRITORIES = sorted(ISO_COUNTRIES)
# Terms and licenses may also cover the whole world.
TERRITORIES_OR_WORLDWIDE = [WORLDWIDE, *TERRITORIES]


class MoneySerializer(serializers.Serializer):
    """An amount of money (component `Money`): fees asked, offered, licensed and terms' minimum fees."""

    amount = serializers.CharField(help_text="Decimal string with two decimals, e.g. '1500.00'")
    currency = serializers.CharField(help_text="ISO 4217 code, e.g. USD")


def use_field(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Use.choices, **kwargs)


def modality_field(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Modality.choices, **kwargs)


def channel_field(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Channel.choices, **kwargs)


def territory_field(**kwargs) -> serializers.ChoiceField:
    """One ISO 3166-1 alpha-2 code in upper case (a check names one country)."""
    return serializers.ChoiceField(choices=TERRITORIES, **kwargs)


def check_decision_field(**kwargs) -> serializers.ChoiceField:
    """The answer of a permission check: permitted, license_required, denied, not_registered."""
    return serializers.ChoiceField(choices=Outcome.choices, **kwargs)


def term_decision_field(**kwargs) -> serializers.ChoiceField:
    """What a talent's term says of a use: allow, license, deny."""
    return serializers.ChoiceField(choices=Decision.choices, **kwargs)


def modalities_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=modality_field(), **kwargs)


def channels_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=channel_field(), **kwargs)


def territories_field(**kwargs) -> serializers.ListField:
    """ISO codes, or 'worldwide' (terms and licenses)."""
    return serializers.ListField(
        child=serializers.ChoiceField(choices=TERRITORIES_OR_WORLDWIDE),
        **{"help_text": "ISO 3166-1 alpha-2 codes in upper case, or 'worldwide'.", **kwargs},
    )
