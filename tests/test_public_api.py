"""The public surface: ``frontlines.__all__`` matches what the package exports."""

import frontlines


def test_all_names_import():
    for name in frontlines.__all__:
        assert hasattr(frontlines, name), f"frontlines.__all__ names {name!r} but it is missing"


def test_no_public_name_left_out_of_all():
    public = {n for n in vars(frontlines) if not n.startswith("_")
              and not type(getattr(frontlines, n)).__name__ == "module"}
    assert public - set(frontlines.__all__) == set()
