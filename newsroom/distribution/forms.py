from django import forms

from newsroom.distribution.models import Frequency


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send a link to confirm; nothing is kept until you open it and confirm.",
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often", choices=Frequency.choices, widget=forms.RadioSelect
    )
