"""The reading stage: a book folder (or an mdBook) into one Book, or every problem found in it;
load.py runs the steps in order."""
