"""What the book's pages, the site extension and the reader notebooks agree on.

The "Check the claim" verdicts of the house style (../shared/STYLE.md), each with the icon
and words its badge shows: never colour alone.
"""

VERDICTS = {
    "holds": ("\u2713", "Holds"),
    "holds narrowly": ("\u2248", "Holds narrowly"),
    "does not hold": ("\u2717", "Does not hold"),
    "cannot be tested": ("?", "Cannot be tested with public data"),
}
