package io.cnn4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of the {@code cnn4j} command. */
@Command(name = "cnn4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Build, train, evaluate and run convolutional neural networks on the JVM.",
        footerHeading = "%n", footer = "'cnn4j COMMAND --help' describes a command and its options.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, ExplainCommand.class, ReportCommand.class,
                SummaryCommand.class, ImportCommand.class, ExportCommand.class, BenchCommand.class, RecipesCommand.class,
                ClipsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams; returns the exit code (0 ok, 1 failure, 2 usage). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        layOutHelp(cli);
        cli.setOut(out);
        cli.setErr(err);
        ErrorReporter reporter = new ErrorReporter();
        cli.setExecutionExceptionHandler(reporter);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands only Exceptions to the handler; an Error would end the JVM with a stack trace.
            return reporter.handleExecutionException(new OutOfMemory(e), cli, null);
        }
    }

    /** Every command's help laid out alike, its parts apart: synopsis, description, then the lists. */
    private static void layOutHelp(CommandLine command) {
        if (command.getCommandSpec().helpCommand()) {
            return; // picocli's own help command comes laid out
        }
        command.getCommandSpec().usageMessage().descriptionHeading("%n").parameterListHeading("%nParameters:%n")
                .optionListHeading("%nOptions:%n").commandListHeading("%nCommands:%n");
        command.getSubcommands().values().forEach(Main::layOutHelp);
    }

    /** Carries an {@link OutOfMemoryError} to the {@link ErrorReporter}, whose handler takes exceptions only. */
    static final class OutOfMemory extends RuntimeException {
        OutOfMemory(OutOfMemoryError cause) {
            super(cause);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
