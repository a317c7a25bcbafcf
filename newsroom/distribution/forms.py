from django import forms
from django.utils.translation import gettext_lazy as _

from newsroom.distribution.models import Frequency

# How often, in the language being read (the model's labels are the admin's).
FREQUENCY_LABELS = {
    Frequency.IMMEDIATE: _("As soon as an item is published"),
    Frequency.DAILY: _("One email a day (a digest)"),
}
FREQUENCIES = [(value, FREQUENCY_LABELS.get(value, label)) for value, label in Frequency.choices]


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a link to confirm; nothing is kept until you open it and confirm."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=FREQUENCIES,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=FREQUENCIES, widget=forms.RadioSelect
    )
