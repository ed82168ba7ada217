"""Chronology chapter helpers: the timeline figure and its caption."""

from __future__ import annotations

import datetime as dt

from .._lazy import pd
from ..tables import require_columns
from ..sentence_spans import as_date

_BASIS_STYLE = {
    "stated": {"color": "#1f5fa8", "linestyle": "-", "marker": "o", "markerfacecolor": "#1f5fa8"},
    "resolved": {"color": "#d9730d", "linestyle": "--", "marker": "o", "markerfacecolor": "white"},
    "outside": {"color": "#4d4d4d", "linestyle": ":", "marker": "s", "markerfacecolor": "#bdbdbd"},
}


def plot_timeline(events: pd.DataFrame, document_date: dt.date | None = None, label_width: int = 64):
    """Dated events on a date axis: ranges as bars, basis by style, the document date marked.

    Events more than ~60 days before the latest one go to a narrower left panel, so that a
    2020 fact does not squeeze the September 2022 cluster into a dot.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    require_columns(events, ["event_id", "start_date", "end_date", "basis", "summary"], "events")
    document_date = as_date(document_date)
    dated = events[events.start_date.ne("") & events.end_date.ne("")].copy()
    dated["first"] = pd.to_datetime(dated.start_date)
    dated["last"] = pd.to_datetime(dated.end_date)
    dated = dated.reset_index(drop=True)  # the chronology's own order: by start date, then sentence
    if dated.empty:
        fig, ax = plt.subplots(figsize=(7, 1.5))
        ax.text(0.5, 0.5, "No event has a calendar date.", ha="center", va="center")
        ax.set_axis_off()
        return fig

    latest = dated["last"].max()
    recent_from = min(latest - pd.Timedelta(days=60), pd.Timestamp(document_date) if document_date else latest)
    older = dated[dated["last"] < recent_from]
    recent = dated[dated["last"] >= recent_from]
    panels = [older, recent] if len(older) else [recent]
    height = 0.36 * len(dated) + 1.4
    fig, axes = plt.subplots(1, len(panels), figsize=(9.5, height), sharey=True, squeeze=False,
                             gridspec_kw={"width_ratios": [1, 2.4][-len(panels):], "wspace": 0.06})
    axes = axes[0]
    for ax, panel in zip(axes, panels):
        for row in dated.itertuples():
            style = _BASIS_STYLE.get(row.basis, _BASIS_STYLE["stated"])
            y = row.Index
            if row.last > row.first:
                ax.plot([row.first, row.last + pd.Timedelta(hours=20)], [y, y], color=style["color"],
                        linestyle=style["linestyle"], linewidth=3, solid_capstyle="butt")
            ax.plot([row.first], [y], marker=style["marker"], color=style["color"],
                    markerfacecolor=style["markerfacecolor"], markersize=6, linestyle="none")
        pad = pd.Timedelta(days=3 if panel is recent else 30)
        ax.set_xlim(panel["first"].min() - pad, panel["last"].max() + pad)
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
        locator = mdates.AutoDateLocator(minticks=2, maxticks=6 if panel is recent else 3)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b" if panel is recent else "%b %Y"))
        ax.tick_params(axis="x", labelsize=8)
    if document_date:
        axes[-1].axvline(pd.Timestamp(document_date), color="#b2182b", linewidth=1.2, linestyle="-.")
    if len(axes) == 2:
        axes[0].spines["right"].set_visible(False)
        axes[1].spines["left"].set_visible(False)
        axes[1].tick_params(axis="y", length=0)
        for ax, x in ((axes[0], 1), (axes[1], 0)):  # the "//" marks of a broken axis
            ax.plot([x, x], [0, 0], transform=ax.transAxes, marker=[(-1, -1), (1, 1)], markersize=8,
                    color="black", clip_on=False, linestyle="none")
    labels = [_shorten(f"{row.event_id}  {row.summary}", label_width) for row in dated.itertuples()]
    axes[0].set_yticks(range(len(dated)), labels, fontsize=8)
    axes[0].set_ylim(len(dated) - 0.5, -0.5)
    handles = [Line2D([], [], label=f"{basis}", linewidth=2, **style) for basis, style in _BASIS_STYLE.items()]
    if document_date:
        handles.append(Line2D([], [], color="#b2182b", linestyle="-.", label=f"document date {document_date.isoformat()}"))
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles), fontsize=8, frameon=False)
    return fig


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def timeline_summary(events: pd.DataFrame, document_date: dt.date | None = None) -> str:
    """One sentence for the timeline's caption, true of whatever article the events come from."""
    require_columns(events, ["start_date", "end_date", "basis"], "events")
    dated = events[events.start_date.ne("") & events.end_date.ne("")]
    if dated.empty:
        return "No event has a calendar date, so the axis is empty."
    first, last = min(dated.start_date), max(dated.end_date)
    text = f"{len(dated)} of {len(events)} events have a calendar date, from {first} to {last}"
    document_date = as_date(document_date)
    if document_date is not None:
        starts = pd.to_datetime(dated.start_date).dt.date
        recent = int(((starts <= document_date) & (starts >= document_date - dt.timedelta(days=14))).sum())
        later = int((starts > document_date).sum())
        text += (f"; {recent} start in the two weeks up to the document date and {later} after it")
    outside = int((dated.basis == "outside").sum())
    if outside:
        text += f"; {outside} come from outside sources"
    return text + "."


def time_type_counts(times: pd.DataFrame) -> dict[str, int]:
    """How many expressions of each kind: calendar dates, durations, sets and vague references."""
    require_columns(times, ["timex_type", "start_date"], "times")
    dates = times.timex_type.eq("DATE")
    return {
        "calendar": int((dates & times.start_date.ne("")).sum()),
        "open": int((dates & times.start_date.eq("")).sum()),
        "duration": int(times.timex_type.eq("DURATION").sum()),
        "set": int(times.timex_type.eq("SET").sum()),
    }


def possible_repeats(events: pd.DataFrame) -> list[list[str]]:
    """Groups of records that may tell one event twice: the same actor, overlapping dates, and
    the same action or the same target, yet not merged by the stage (which merges only the
    text's records with the same actor, action and target as linked).

    Records are compared only within their actor's group, so the cost stays small.
    """
    require_columns(events, ["event_id", "actor", "action", "target", "start_date", "end_date"], "events")
    dated = events[events.actor.ne("") & events.start_date.ne("") & events.end_date.ne("")]
    groups: list[set[str]] = []
    for _, same_actor in dated.groupby("actor", sort=False):
        rows = list(same_actor.itertuples(index=False))
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                overlap = a.start_date <= b.end_date and b.start_date <= a.end_date
                if overlap and (a.action == b.action or (a.target and a.target == b.target)):
                    joined = [g for g in groups if a.event_id in g or b.event_id in g]
                    merged = set().union({a.event_id, b.event_id}, *joined)
                    groups = [g for g in groups if g not in joined] + [merged]
    return sorted(sorted(g) for g in groups)


def repeats_text(groups: list[list[str]]) -> str:
    """One sentence on the groups of :func:`possible_repeats`, for the chapter."""
    if not groups:
        return ("No two records share an actor and overlapping dates with the same action or "
                "target, so no event appears to be told twice.")
    listed = "; ".join(" and ".join(g) if len(g) == 2 else ", ".join(g[:-1]) + " and " + g[-1] for g in groups)
    return (f"Some records may tell one event twice: {listed} share an actor and overlapping dates "
            "with the same action or target, but are kept apart, because their targets link to "
            "different entities, or because one is a fact from an outside source, which the stage "
            "never merges with the text's records (the text may announce an event that the record "
            "dates). Read each group as possibly one event.")
