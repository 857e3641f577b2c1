"""spinemets."""
