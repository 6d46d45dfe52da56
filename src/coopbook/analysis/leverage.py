"""The leverage arithmetic: a teaching model of why local jails matter to ICE.

    at-large arrests per day = goal x (1 - jail share x cooperating share)

* goal: the arrests per day ICE aims for;
* jail share: the share of those arrests that would come through local jails
  if every jail cooperated;
* cooperating share: the share of that jail route that is actually open.

It is a model for class, not a forecast: it assumes the goal is fixed, that
arrests missing from the jail route must all be made at large, and that jails
are alike. The chapter shows where each default number comes from.

It is drawn in coopbook.viz.levercharts.
"""

from __future__ import annotations

GOAL_RANGE = (500, 5000, 100)

def at_large(goal: float, jail_share: float, cooperating_share: float) -> float:
    """At-large arrests per day the model needs to reach the goal."""
    for name, share in (("jail_share", jail_share), ("cooperating_share", cooperating_share)):
        if not 0 <= share <= 1:
            raise ValueError(f"{name} must be a share between 0 and 1, got {share!r}")
    if goal < 0:
        raise ValueError(f"goal must be zero or more arrests per day, got {goal!r}")
    return goal * (1 - jail_share * cooperating_share)

def through_jails(goal: float, jail_share: float, cooperating_share: float) -> float:
    return goal - at_large(goal, jail_share, cooperating_share)

SHARE_KINDS = ["All custodial (prisons and jails)", "Local police and jails only",
               "Reported range, no definition given"]
