"""output/ on disk: written beside it and swapped in whole (write.py, swap.py), owned (a marker
file, ownership.py), recorded (records.py: what each file holds), and the local id guard."""
