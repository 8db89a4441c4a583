"""What the demo organisation is made of: names, themes, metrics, milestones and the phrases of check-ins and retrospectives."""

from __future__ import annotations

from typing import NamedTuple

DEPARTMENTS = ["Product", "Engineering", "Growth", "Platform", "Data", "Customer Success", "Operations", "Finance", "People", "Security"]
GROUPS = ["Foundations", "Experience", "Core", "Edge", "Operations", "Insights"]
AREAS = ["Billing", "Search", "Checkout", "Onboarding", "Identity", "Notifications", "Catalog", "Pricing", "Reporting", "Messaging"]
AREAS += ["Scheduling", "Inventory", "Payments", "Analytics", "Accounts", "Mobile", "Web", "Partner", "Support", "Fraud", "Shipping"]
FUNCTIONS = ["Platform", "Experience", "Relevance", "Core", "Insights", "Reliability", "Growth", "Tooling", "Quality", "Automation"]
FIRST = ["Ana", "Li", "Kenji", "Zoe", "Tunde", "Marta", "Oskar", "Yuki", "Nia", "Mateo", "Priya", "Lars", "Amara", "Diego", "Hana", "Omar"]
LAST = ["Silva", "Wei", "Arai", "Papadakis", "Adeyemi", "Nowak", "Brandt", "Tanabe", "Thompson", "Ferreira", "Rao", "Berg", "Okafor"]
LAST += ["Morales", "Kim", "Haddad"]


class Theme(NamedTuple):
    id: str
    title: str


THEMES = [
    Theme("activation", "New users reach value in their first week"),
    Theme("reliability", "Customers can count on {area} every day"),
    Theme("cost", "{area} grows without growing the cloud bill"),
    Theme("retention", "Customers stay because {area} keeps paying off"),
    Theme("speed", "{area} feels instant"),
    Theme("quality", "Fewer defects reach our customers"),
    Theme("expansion", "Existing accounts buy more of {area}"),
    Theme("self-serve", "Customers solve {area} problems without asking us"),
    Theme("insight", "Decisions about {area} come from data, not opinions"),
    Theme("security", "Customer data in {area} stays safe"),
    Theme("delivery", "We ship small changes to {area} every day"),
    Theme("support", "Every support request gets a fast, useful answer"),
    Theme("partners", "Partners build on {area} without our help"),
    Theme("trust", "Enterprise buyers trust {area} with their business"),
]


class Metric(NamedTuple):
    id: str
    title: str
    unit: str | None
    decimals: int
    low: float
    high: float
    increase: bool


METRICS = [
    Metric("d7", "Day-7 activation rate in {area}", "%", 1, 15, 55, True),
    Metric("p95", "P95 latency of the {area} API", "ms", 0, 180, 900, False),
    Metric("wau", "Weekly active accounts using {area}", None, 0, 800, 9000, True),
    Metric("mrr", "Monthly recurring revenue from {area}", "k EUR", 0, 40, 900, True),
    Metric("tickets", "Support tickets about {area} per 1000 orders", None, 1, 4, 30, False),
    Metric("nps", "Net promoter score of {area} users", None, 0, 12, 45, True),
    Metric("first-response", "Median time to first response", "min", 0, 30, 240, False),
    Metric("conversion", "Trial-to-paid conversion", "%", 1, 5, 30, True),
    Metric("unit-cost", "Cloud cost per active account", "EUR", 2, 0.5, 4, False),
    Metric("lead-time", "Lead time from merge to production", "h", 1, 6, 72, False),
    Metric("ctr", "Click-through rate of {area} results", "%", 1, 10, 45, True),
    Metric("churned", "Accounts lost per month", None, 0, 20, 160, False),
    Metric("adoption", "Accounts that use {area} weekly", "%", 1, 10, 60, True),
    Metric("escaped", "Defects found in production per month", None, 0, 12, 60, False),
]


class Health(NamedTuple):
    id: str
    title: str
    above: bool
    line: float
    unit: str | None
    decimals: int
    spread: float


HEALTH = [
    Health("uptime", "Availability of {area} stays above 99.9%", True, 99.9, "%", 2, 0.04),
    Health("churn", "Monthly churn of paying accounts stays below 2%", False, 2.0, "%", 1, 0.4),
    Health("error-rate", "Share of requests to {area} that fail stays below 0.5%", False, 0.5, "%", 2, 0.15),
    Health("csat", "Customer satisfaction with {area} stays above 4.3", True, 4.3, None, 1, 0.2),
    Health("pages", "Out-of-hours pages stay below 4 a week", False, 4, None, 0, 1.5),
    Health("on-time", "Share of orders delivered on time stays above 95%", True, 95, "%", 1, 1.5),
]


class Milestone(NamedTuple):
    id: str
    title: str


Template = Metric | Health | Milestone
MILESTONES = [
    Milestone("sso", "Single sign-on available to every enterprise account"),
    Milestone("retention-policy", "Data retention policy for {area} signed off by legal"),
    Milestone("onboarding-checklist", "Ship the new onboarding checklist for {area}"),
    Milestone("ledger", "Move {area} to the new ledger"),
    Milestone("partner-beta", "Launch the partner API beta for {area}"),
    Milestone("audit", "SOC 2 audit of {area} passed without findings"),
    Milestone("runbooks", "Every {area} alert has a runbook"),
    Milestone("pricing-page", "New pricing page live in all markets"),
    Milestone("dpa", "Signed data processing agreement with every reseller"),
    Milestone("status-page", "Public status page covers {area}"),
]
INITIATIVES = ["Rebuild the {area} signup flow", "Weekly experiment review with design", "Cache the hot {area} queries"]
INITIATIVES += ["Move {area} jobs to the new queue", "Interview ten churned customers", "Fix the top five {area} crashes"]
INITIATIVES += ["Pricing test in two markets", "Self-serve help centre for {area}", "On-call rota with a 48-hour fix target"]
NOTES = ["Experiment results are in and the lift holds.", "Holiday week, little movement.", "Blocked on the data export; raised it."]
NOTES += ["Risk: the vendor contract is not signed yet.", "Two customers asked for this directly.", "Numbers are noisy, wait a week."]
NOTES += ['The new dashboard says "green", the support queue disagrees.']
LESSONS = ["Customers value speed over features", "Enterprise deals need security answers early", "Price matters less than setup time"]
METHOD = ["Weekly check-ins caught the slip in week 3", "Too many KRs: we only moved two", "A KR without an owner does not move"]
CHANGES = ["Name one owner for every KR", "Fewer objectives, each with a bet", "Review confidence, not only values"]
CHANGES += ["Measure the leading signal weekly", "Pair with the data team at cycle start"]
CAUSES = ["execution", "hypothesis", "external"]
STATUSES = ["planned", "active", "done", "dropped"]
