package dev.groundwork.index.lucene;

import dev.groundwork.core.Chunk;
import dev.groundwork.core.spi.Embedding;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.BytesRef;

/** The mapping between {@link Chunk} and Lucene documents: field names and (de)serialisation. */
final class ChunkFields {
  static final String ID = "id";
  static final String KIND = "kind";
  static final String DOC_ID = "doc_id";
  static final String SOURCE = "source";
  static final String MEDIA_TYPE = "media_type";
  static final String TITLE = "title";
  static final String TITLE_STORED = "title_s";
  static final String HEADING = "heading";
  static final String PAGE = "page";
  static final String START = "start";
  static final String END = "end";
  static final String TEXT = "text";
  static final String BODY = "body";
  static final String PARENT = "parent_id";
  static final String CHILDREN = "child_count";
  static final String HASH = "hash";
  static final String VECTOR = "vec";
  static final String TOKENS = "tokens";

  static final String LEAF = "leaf";
  static final String PARENT_KIND = "parent";
  static final String MANIFEST = "doc";
  private static final String SEP = "\u001f";

  private ChunkFields() {}

  static Document toLucene(Chunk c, Embedding embedding) {
    Document d = new Document();
    d.add(new StringField(ID, c.id(), Field.Store.YES));
    d.add(new StringField(KIND, c.isParent() ? PARENT_KIND : LEAF, Field.Store.NO));
    d.add(new StringField(DOC_ID, c.docId(), Field.Store.YES));
    d.add(new StringField(SOURCE, c.source(), Field.Store.YES));
    d.add(new StringField(MEDIA_TYPE, c.mediaType(), Field.Store.YES));
    d.add(new StoredField(TITLE_STORED, c.title()));
    d.add(new StringField(TITLE + "_exact", c.title(), Field.Store.NO));
    d.add(new StoredField(HEADING, String.join(SEP, c.headingPath())));
    if (c.page() != null) {
      d.add(new StringField(PAGE, String.valueOf(c.page()), Field.Store.YES));
    }
    d.add(new StoredField(START, c.start()));
    d.add(new StoredField(END, c.end()));
    d.add(new StoredField(TEXT, c.text()));
    if (c.parentId() != null) d.add(new StoredField(PARENT, c.parentId()));
    d.add(new StoredField(CHILDREN, c.childCount()));
    if (!c.isParent()) {
      d.add(new TextField(BODY, c.contextualText(), Field.Store.NO));
      d.add(new TextField(TITLE, c.title(), Field.Store.NO));
      d.add(new KnnFloatVectorField(VECTOR, embedding.vector(), VectorSimilarityFunction.DOT_PRODUCT));
      if (embedding.hasTokens()) d.add(new BinaryDocValuesField(TOKENS, new BytesRef(embedding.tokens())));
    }
    return d;
  }

  static Document manifest(String docId, String hash) {
    Document d = new Document();
    d.add(new StringField(ID, "doc:" + docId, Field.Store.YES));
    d.add(new StringField(KIND, MANIFEST, Field.Store.NO));
    d.add(new StringField(DOC_ID, docId, Field.Store.YES));
    d.add(new StoredField(HASH, hash));
    return d;
  }

  static Chunk fromLucene(Document d) {
    String heading = d.get(HEADING);
    List<String> path = heading == null || heading.isEmpty() ? List.of() : Arrays.asList(heading.split(SEP));
    String page = d.get(PAGE);
    return new Chunk(d.get(ID), d.get(DOC_ID), d.get(SOURCE), d.get(TITLE_STORED), d.get(MEDIA_TYPE), path,
        page == null ? null : Integer.valueOf(page), d.getField(START).numericValue().intValue(),
        d.getField(END).numericValue().intValue(), d.get(TEXT), d.get(PARENT),
        d.getField(CHILDREN).numericValue().intValue());
  }
}
