"""The control: an agent that only writes the sample submission (the attempt after a hostile
one, to show who gets the blame)."""

from _common import run


def main():
    return {"honest": True}


if __name__ == "__main__":
    run(main)
