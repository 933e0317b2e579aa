namespace Vna.Core;

/// <summary>The study is on a tier that must be recalled before it can be read; the recall is under way.</summary>
public sealed class StudyRecallPendingException : Exception
{
    public StudyRecallPendingException()
    {
        StudyInstanceUid = string.Empty;
    }

    public StudyRecallPendingException(string message)
        : base(message)
    {
        StudyInstanceUid = string.Empty;
    }

    public StudyRecallPendingException(string message, Exception innerException)
        : base(message, innerException)
    {
        StudyInstanceUid = string.Empty;
    }

    public StudyRecallPendingException(string studyInstanceUid, TimeSpan retryAfter)
        : base("The study is being recalled from the cold tier.")
    {
        StudyInstanceUid = studyInstanceUid;
        RetryAfter = retryAfter;
    }

    public string StudyInstanceUid { get; }

    /// <summary>A reasonable time to wait before asking again.</summary>
    public TimeSpan RetryAfter { get; }
}
