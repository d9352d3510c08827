"""A library: many books built together into one site and one catalogue (library.toml)."""
