"""Alert rules as data: which articles a rule wants, who gets the mail, and its percolator query."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from newsmon.configfile import ConfigError, line_of, load_model, load_yaml
from newsmon.languages import LANGUAGES, OTHER

__all__ = ["DIGEST_SCHEDULES", "MIN_DIGEST_INTERVAL", "AlertRule", "RuleFile", "RuleMatch", "load_rules"]


#: Named digest schedules (UTC); anything else must be a five-field cron expression.
DIGEST_SCHEDULES = {"hourly": "0 * * * *", "daily": "0 6 * * *", "weekly": "0 6 * * 1", "monthly": "0 6 1 * *"}
#: Digests go out from the hourly ``news_digest`` DAG, so a schedule may not tick more often than that.
MIN_DIGEST_INTERVAL = timedelta(hours=1)


def _cron(schedule: str) -> str:
    return DIGEST_SCHEDULES.get(schedule.strip(), schedule.strip())


class RuleMatch(BaseModel):
    """What an article must have; each non-empty list needs one of its values, and all lists must hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    themes: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    #: Free text, Elasticsearch ``simple_query_string`` syntax, searched in title and text.
    text: str = ""

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in (*LANGUAGES, OTHER)]
        if unknown:
            raise ValueError(f"unknown language(s) {unknown}; use some of {[*LANGUAGES, OTHER]}")
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> RuleMatch:
        if not (self.themes or self.actors or self.text):
            raise ValueError("a rule must ask for at least one theme, actor or text; it would match everything")
        return self


class AlertRule(BaseModel):
    """One alert rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    description: str = ""
    match: RuleMatch
    recipients: list[str] = Field(min_length=1)
    mode: Literal["immediate", "digest"] = "immediate"
    #: For ``mode: immediate``: what happens to articles that join an event already mailed to a recipient —
    #: ``thread`` (an update in the same mail thread, at most once per ``alert_update_interval_minutes``) or
    #: ``digest`` (into this rule's digest, on ``schedule``, daily if not given).
    updates: Literal["thread", "digest"] = "thread"
    #: For ``mode: digest`` (and the updates of ``updates: digest``): when the digest goes out, ``hourly``,
    #: ``daily`` (06:00 UTC), ``weekly`` (Monday 06:00 UTC), ``monthly`` or a five-field cron expression in UTC,
    #: e.g. ``"0 7 * * 1-5"``.
    schedule: str | None = None

    @field_validator("schedule")
    @classmethod
    def _valid_schedule(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from croniter import croniter

        cron = _cron(value)
        if len(cron.split()) != 5 or not croniter.is_valid(cron):
            raise ValueError(f"schedule {value!r} is neither one of {sorted(DIGEST_SCHEDULES)} nor a five-field "
                             "cron expression (minute hour day-of-month month day-of-week, UTC)")
        ticks = croniter(cron, datetime(2026, 1, 1, tzinfo=UTC))
        times = [ticks.get_next(datetime) for _ in range(60)]
        if min(b - a for a, b in itertools.pairwise(times)) < MIN_DIGEST_INTERVAL:
            raise ValueError(f"schedule {value!r} ticks more often than hourly; digests are sent by the hourly "
                             "news_digest DAG, use mode: immediate for faster mail")
        return value

    @model_validator(mode="after")
    def _schedule_with_digest(self) -> AlertRule:
        if self.mode == "digest" and not self.schedule:
            raise ValueError(f"rule {self.id!r}: mode digest needs a schedule, e.g. schedule: daily")
        if self.mode == "immediate" and self.schedule and self.updates != "digest":
            raise ValueError(f"rule {self.id!r}: schedule is only for mode: digest or updates: digest (immediate "
                             "rules mail at once)")
        return self

    def digest_cutoff(self, at: datetime) -> datetime:
        """The last schedule tick at or before ``at``: a digest sent at ``at`` holds the matches recorded before it."""
        from croniter import croniter

        default = "daily" if self.updates == "digest" else "hourly"
        return croniter(_cron(self.schedule or default), at + timedelta(seconds=1)).get_prev(datetime)

    @field_validator("recipients")
    @classmethod
    def _destinations(cls, value: list[str]) -> list[str]:
        """Each an e-mail address or ``webhook:<Airflow connection id>`` (:mod:`newsmon.alerts.channels`)."""
        from newsmon.alerts.channels import check_destination

        return [check_destination(v.strip()) for v in value]

    @model_validator(mode="after")
    def _digests_by_mail(self) -> AlertRule:
        if (self.mode == "digest" or self.updates == "digest") and any(":" in r for r in self.recipients):
            raise ValueError(f"rule {self.id!r}: digests go by e-mail; give webhook destinations to an immediate "
                             "rule (with updates: thread)")
        return self

    def to_query(self) -> dict:
        """The Elasticsearch query (stored as a percolator) that selects this rule's articles."""
        filters = []
        for field_name, values in (("themes", self.match.themes), ("actors", self.match.actors),
                                   ("lang", self.match.languages), ("source", self.match.sources)):
            if values:
                filters.append({"terms": {field_name: values}})
        if self.match.text:
            filters.append({"simple_query_string": {"query": self.match.text, "fields": ["title", "text"],
                                                    "default_operator": "and"}})
        return {"bool": {"filter": filters}}

    @property
    def version(self) -> str:
        """A hash of the rule's content: changes whenever the rule does."""
        return hashlib.sha1(json.dumps(self.model_dump(), sort_keys=True).encode()).hexdigest()[:12]


class RuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[AlertRule] = Field(min_length=1)

    @field_validator("rules")
    @classmethod
    def _unique(cls, value: list[AlertRule]) -> list[AlertRule]:
        ids = [r.id for r in value]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule id(s) {duplicates}")
        return value


def load_rules(path: str | os.PathLike, known_actors: set[str] | None = None,
               known_themes: set[str] | None = None, known_sources: set[str] | None = None) -> list[AlertRule]:
    """Load and validate the alert rules; ids of actors and themes are checked against the watchlist, source
    names against the sources file (a rule naming anything else would never match)."""
    rules = load_model(path, RuleFile).rules
    problems, data = [], None
    for position, rule in enumerate(rules):
        for kind, field_name, known, values, where in (
                ("actor", "actors", known_actors, rule.match.actors, "the watchlist"),
                ("theme", "themes", known_themes, rule.match.themes, "the watchlist"),
                ("source", "sources", known_sources, rule.match.sources, "the sources file")):
            unknown = sorted(set(values) - known) if known is not None else []
            if unknown:
                data = data if data is not None else load_yaml(path)
                line = line_of(data, ("rules", position, "match", field_name))
                problems.append(f"{path}{f':{line}' if line else ''}: rules.{position}.match.{field_name}: rule "
                                f"{rule.id!r} names unknown {kind}(s) {unknown}; use names from {where} "
                                f"({', '.join(sorted(known)[:30])})")
    if problems:
        raise ConfigError("\n".join(problems))
    return rules
