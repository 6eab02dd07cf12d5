from lib.templatetags.malbild_extras import get_item, kursiv


def test_kursiv_escapes_then_marks_titles():
    assert (
        kursiv("*God och nära vård* <b>x</b>")
        == "<cite>God och nära vård</cite> &lt;b&gt;x&lt;/b&gt;"
    )


def test_get_item_tries_string_keys():
    assert get_item({"1": "Saknas"}, 1) == "Saknas"
    assert get_item(None, 1) is None
