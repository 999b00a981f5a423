"""A small command-line greeter, packaged by oxidize as the README's sample."""

__version__ = "1.0"
