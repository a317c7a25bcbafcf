"""The generated archive's shape: its slug marker, sizes, shares and skews."""

PREFIX = "gen-"
YEARS = 25
SPEAKER_COUNT = 500
EVENT_COUNT = 2_000
CHUNK = 1_000  # items generated, inserted and forgotten at a time
BATCH = 500  # rows per INSERT (Django lowers it further where the backend needs)

# Shares of items that are not public: drafts, in review, embargoed (published, due later).
DRAFT_SHARE, REVIEW_SHARE, EMBARGO_SHARE = 0.03, 0.015, 0.02
TAG_SKEW = 0.95  # Zipf exponent: a few tags are on many items, most on few
SPEAKER_SKEW = 0.9
