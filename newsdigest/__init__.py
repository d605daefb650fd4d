"""newsdigest: a static site generator for newspaper pages written as markdown."""
