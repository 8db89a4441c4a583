"""okrsite: OKRs as code, published as a static intranet site."""

__version__ = "0.1.0"
