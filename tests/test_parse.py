from pipeline.nlp.parse import chunks, parse_article, parse_articles


def test_chunks_join_back_and_cut_at_paragraphs():
    text = "\n".join(f"Paragraph {i} says the delegations met again." for i in range(2000))
    parts = chunks(text, size=1000)
    assert "".join(parts) == text and len(parts) > 50
    assert all(p.endswith("\n") for p in parts[:-1]) and all(len(p) <= 1000 for p in parts)
    assert chunks("one line without breaks " * 100, size=300)[0].endswith(" ")


def test_long_article_parsed_in_chunks_keeps_offsets(monkeypatch):
    import pipeline.nlp.parse as parse
    monkeypatch.setattr(parse, "CHUNK_CHARS", 200)
    text = "\n".join(f"Vladimir Putin met Recep Tayyip Erdogan in Ankara on day {i}." for i in range(40))
    parsed = parse_article("a", text)
    assert parsed.doc.text == text
    persons = [e for e in parsed.doc.ents if e.label_ == "PERSON"]
    assert persons and all(text[e.start_char:e.end_char] == e.text for e in persons)
    assert len(parsed.sentences) == 40 and parsed.sentences[-1].end == len(text)


def test_articles_stream_in_order():
    items = ((f"a{i}", f"Talks number {i} ended.", None) for i in range(5))
    assert [p.article_id for p in parse_articles(items, batch_size=2)] == [f"a{i}" for i in range(5)]
