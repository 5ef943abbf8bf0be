"""The demo Trust: a source system that writes a complete, realistic extract drop."""
