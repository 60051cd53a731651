import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * javac's own view of which classes of its own package each file uses: every name of the
 * source (simple, as in {@code Helper.run()}, or qualified, as in an import) that javac
 * attributes to a class is followed to its top-level class; when that class is of the file's
 * package and declared in another compilation unit of the same task, one line is printed:
 * {@code user-file TAB defining-file TAB simple|qualified}.
 *
 * <p>Run with the single-file source launcher: {@code java bench/JavacRefs.java [javac options]
 * -- files...}. Used by bench/java_javac_compare.py.
 */
public final class JavacRefs {
    public static void main(String[] args) throws Exception {
        List<String> options = new ArrayList<>();
        List<String> files = new ArrayList<>();
        boolean inFiles = false;
        for (String a : args) {
            if (!inFiles && a.equals("--")) {
                inFiles = true;
            } else if (inFiles) {
                files.add(a);
            } else {
                options.add(a);
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager fm = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        JavacTask task = (JavacTask) compiler.getTask(
                null, fm, d -> {}, options, null, fm.getJavaFileObjectsFromStrings(files));
        Iterable<? extends CompilationUnitTree> units = task.parse();
        task.analyze();
        Trees trees = Trees.instance(task);
        SourcePositions positions = trees.getSourcePositions();
        for (CompilationUnitTree unit : units) {
            String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
            CharSequence text = unit.getSourceFile().getCharContent(true);
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitIdentifier(IdentifierTree t, Void v) {
                    record(getCurrentPath(), "simple");
                    return super.visitIdentifier(t, v);
                }

                @Override
                public Void visitMemberSelect(MemberSelectTree t, Void v) {
                    record(getCurrentPath(), "qualified");
                    return super.visitMemberSelect(t, v);
                }

                /** Whether the tree is in the source: javac also attributes trees it made itself
                 * (the constructor of an anonymous class, whose parameter types it writes as
                 * qualified names at the position of the {@code new}). */
                private boolean written(Tree leaf, String name) {
                    long end = positions.getEndPosition(unit, leaf);
                    return end >= name.length() && end <= text.length()
                            && text.subSequence((int) end - name.length(), (int) end).toString().equals(name);
                }

                private void record(TreePath path, String how) {
                    Tree leaf = path.getLeaf();
                    String name = leaf instanceof IdentifierTree i
                            ? i.getName().toString()
                            : ((MemberSelectTree) leaf).getIdentifier().toString();
                    if (!written(leaf, name)) {
                        return;
                    }
                    Element e = trees.getElement(path);
                    if (e == null || !(e.getKind().isClass() || e.getKind().isInterface())) {
                        return;
                    }
                    Element top = e;
                    while (top.getEnclosingElement() != null
                            && top.getEnclosingElement().getKind() != ElementKind.PACKAGE) {
                        top = top.getEnclosingElement();
                    }
                    if (!(top.getEnclosingElement() instanceof PackageElement p)
                            || !p.getQualifiedName().contentEquals(pkg)) {
                        return;
                    }
                    TreePath decl = trees.getPath(top);
                    if (decl == null || decl.getCompilationUnit() == unit) {
                        return;
                    }
                    System.out.println(unit.getSourceFile().getName() + "\t"
                            + decl.getCompilationUnit().getSourceFile().getName() + "\t" + how);
                }
            }.scan(unit, null);
        }
    }
}
