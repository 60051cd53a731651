def normalize(word):
    return word.strip().lower()


def main():
    words = ["A ", "b"]
    cleaned = [normalize(w) for w in words]
    print(", ".join(sorted(cleaned)))
    return max(len(w) for w in cleaned)


main()
