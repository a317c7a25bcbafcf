"""Alert sign-up, confirmation, management and unsubscription; advance-copy pages.

No GET changes anything (mail scanners open every link): confirming, changing and
unsubscribing are POSTs from the page a link opens; the one-click unsubscribe of RFC 8058
is a POST too. Every page here is `no-store` and outside the public page cache.
"""

import hashlib
from http import HTTPStatus

from django.contrib import messages
from django.core.cache import cache
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from newsroom.distribution import alerts, links
from newsroom.distribution.forms import FrequencyForm, SubscribeForm
from newsroom.distribution.models import AdvanceCopy, AdvanceCopyAccess, Subscription
from newsroom.distribution.tasks import enqueue, send_confirmation


def requested_filter(data) -> dict:
    return alerts.clean_filter({
        "scope": data.get("scope"), "tags": data.getlist("tag"),
        **{name: data.get(name) for name in ("speaker", "event", "kind", "q")},
    })  # fmt: skip


def filter_context(cleaned: dict) -> dict:
    return {
        "filter": cleaned,
        "filter_words": alerts.describe(cleaned),
        "filter_url": alerts.list_url(cleaned),
    }


CONFIRMATIONS_PER_HOUR = 3


def confirmation_allowed(email: str) -> bool:
    """At most CONFIRMATIONS_PER_HOUR confirmation emails an hour to one address, so the
    form cannot be used to flood someone's inbox; the page says the same either way."""
    key = "distribution:confirm:" + hashlib.sha256(email.lower().encode()).hexdigest()
    try:
        cache.add(key, 0, timeout=3600)
        return cache.incr(key) <= CONFIRMATIONS_PER_HOUR
    except Exception:  # the cache unreachable: the rate limit of the mail still holds
        return True


@never_cache
def subscribe(request: HttpRequest) -> HttpResponse:
    """GET: the sign-up form for the filter in the address. POST: send the confirmation."""
    data = request.POST if request.method == "POST" else request.GET
    cleaned = requested_filter(data)
    errors = alerts.filter_errors(cleaned)
    if errors:
        return render(request, "400.html", {"errors": errors}, status=HTTPStatus.BAD_REQUEST)
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    context = {"form": form, **filter_context(cleaned)}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "distribution/subscribe.html", context, status=400)
        email = form.cleaned_data["email"]
        token = links.confirm_token(
            {"email": email, "frequency": form.cleaned_data["frequency"], "filter": cleaned}
        )
        if confirmation_allowed(email):
            enqueue(send_confirmation, email, token, context["filter_words"])
        return render(request, "distribution/check_inbox.html", {"email": email, **context})
    return render(request, "distribution/subscribe.html", context)


@never_cache
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET: what the reader is about to confirm, and a button. POST: the subscription."""
    data = links.read_confirm_token(token)
    cleaned = alerts.clean_filter(data.get("filter") or {}) if data else None
    if data is None or alerts.filter_errors(cleaned) or "@" not in str(data.get("email", "")):
        return render(request, "distribution/link_invalid.html", status=HTTPStatus.BAD_REQUEST)
    context = {"email": data["email"], "token": token, **filter_context(cleaned)}
    if request.method != "POST":
        return render(request, "distribution/confirm.html", context)
    fields = {name: cleaned[name] for name in alerts.FILTER_FIELDS}
    key = {"email": data["email"], "filter_key": alerts.filter_key(cleaned)}
    defaults = {
        "scope": cleaned["scope"],
        "frequency": data.get("frequency") or "immediate",
        "confirmed_at": timezone.now(),
        **fields,
    }
    try:
        subscription, _ = Subscription.objects.update_or_create(**key, defaults=defaults)
    except IntegrityError:  # the same confirmation pressed twice at once: the other won
        subscription = Subscription.objects.get(**key)
    messages.success(request, gettext("Your alert is confirmed."))
    return redirect("distribution:manage", links.manage_token(subscription.pk))


def subscription_or_404(token: str) -> Subscription:
    pk = links.read_manage_token(token)
    subscription = Subscription.objects.filter(pk=pk).first() if pk else None
    if subscription is None:
        raise Http404("No such alert.")
    return subscription


@never_cache
def manage(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_or_404(token)
    form = FrequencyForm(
        request.POST if request.method == "POST" else None,
        initial={"frequency": subscription.frequency},
    )
    if request.method == "POST" and form.is_valid():
        subscription.frequency = form.cleaned_data["frequency"]
        subscription.save(update_fields=["frequency"])
        messages.success(request, gettext("Saved."))
        return redirect("distribution:manage", token)
    context = {
        "subscription": subscription,
        "form": form,
        "token": token,
        **filter_context(alerts.subscription_filter(subscription)),
    }
    return render(request, "distribution/manage.html", context, status=400 if form.errors else 200)


@never_cache
@csrf_exempt  # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click", no cookie
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a button. POST (from that button or a mail client's one-click): done."""
    pk = links.read_manage_token(token)
    if pk is None:
        raise Http404("No such alert.")
    if request.method == "POST":
        Subscription.objects.filter(pk=pk).delete()  # its send records go with it
        return render(request, "distribution/unsubscribed.html")
    subscription = subscription_or_404(token)
    context = {"token": token, **filter_context(alerts.subscription_filter(subscription))}
    return render(request, "distribution/unsubscribe.html", context)


@never_cache
def advance_copy(request: HttpRequest, token: str) -> HttpResponse:
    """The embargoed item for the one recipient whose link this is; logged each time.
    After the lift: the public page. Revoked: 410, naming nothing."""
    copy = (
        AdvanceCopy.objects.filter(token_digest=links.token_digest(token))
        .select_related("content_type")
        .first()
    )
    if copy is None:
        raise Http404("No such link.")
    model = copy.content_type.model_class()
    public = model.objects.public().filter(pk=copy.object_id).first()
    item = None
    if copy.revoked_at is None and public is None:
        item = model.objects.embargoed().for_detail().filter(pk=copy.object_id).first()
    AdvanceCopyAccess.objects.create(
        copy=copy,
        user_agent=request.headers.get("User-Agent", "")[:300],
        granted=item is not None,
    )
    if copy.revoked_at is not None:
        response = render(request, "distribution/link_revoked.html", status=HTTPStatus.GONE)
    elif public is not None:
        return redirect(public.get_absolute_url())
    elif item is None:  # no longer scheduled (back to draft, withdrawn)
        raise Http404("No such item.")
    else:
        name = model._meta.model_name
        context = {"object": item, name: item, "preview": True, "advance_copy": copy}
        response = TemplateResponse(request, f"articles/{name}_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
