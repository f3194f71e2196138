"""The sandbox bank: a separate process that stands in for a real bank, with fault modes."""
