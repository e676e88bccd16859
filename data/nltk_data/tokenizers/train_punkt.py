"""Rebuild the shipped Punkt sentence model (``punkt_tab/english``).

Usage: python data/nltk_data/tokenizers/train_punkt.py INAUGURAL_ZIP STATE_UNION_ZIP

Trains NLTK's unsupervised Punkt on the US inaugural addresses (1789-2021) and
State of the Union addresses (1945-2006), both public domain and distributed
with NLTK's data, then adds corpuslab's list of common abbreviations.
"""

import sys
import zipfile

from corpuslab.segment import save_punkt, train_punkt


def texts_in(zip_path):
    with zipfile.ZipFile(zip_path) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith(".txt") and "README" not in name:
                yield archive.read(name).decode("latin-1")


if __name__ == "__main__":
    texts = [t for path in sys.argv[1:] for t in texts_in(path)]
    folder = save_punkt(train_punkt(texts))
    print(f"trained on {len(texts)} texts -> {folder}")
