"""Scoring the statement extractor against gold attribution annotations.

Research tooling only: it reads PolNeAR (brat standoff) and CofeNet's tokenised PolNeAR
in place, never copies them, and is never imported by the HTTP layer or the services.
``statements eval`` is its command line.
"""
