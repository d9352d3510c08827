"""A file that chapters include from."""

# --8<-- [start:greet]
def greet(name: str) -> str:
    return f"Hello, {name}!"
# --8<-- [end:greet]


# ANCHOR: farewell
def farewell(name: str) -> str:
    return f"Goodbye, {name}."
# ANCHOR_END: farewell
