namespace Vna.Dicom.Network;

/// <summary>
/// The state transition table of PS3.8 9.2.3 (Table 9-10) as a pure function, and one association's current state. The
/// association engine fires an event for every PDU received, every primitive issued and every timer or transport event, and
/// carries out the action the table gives; an event the table does not allow in a state is a protocol error (AA-8 for a
/// PDU received, <see cref="AssociationAction.Invalid"/> for a local primitive). Thread-safe.
/// </summary>
public sealed class AssociationStateMachine
{
    private readonly Lock _lock = new();

    public AssociationStateMachine(AssociationState initial = AssociationState.Sta1) => State = initial;

    public AssociationState State { get; private set; }

    /// <summary>Applies <paramref name="evt"/>: returns the action and moves to the next state (unchanged for <see cref="AssociationAction.Invalid"/>).</summary>
    /// <param name="evt">The event.</param>
    /// <param name="acceptable">For Evt6 (A-ASSOCIATE-RQ received): false when the request is rejected at once (AE-6 then goes to Sta13).</param>
    /// <param name="isRequestor">For Evt12 in Sta7 (release collision): the association-requestor goes to Sta9, the acceptor to Sta10.</param>
    public AssociationAction Fire(AssociationEvent evt, bool acceptable = true, bool isRequestor = true)
    {
        lock (_lock)
        {
            var (action, next) = Transition(State, evt, acceptable, isRequestor);
            if (action != AssociationAction.Invalid)
            {
                State = next;
            }

            return action;
        }
    }

    /// <summary>The table: what <paramref name="evt"/> does in <paramref name="state"/>.</summary>
    public static (AssociationAction Action, AssociationState Next) Transition(AssociationState state, AssociationEvent evt, bool acceptable = true, bool isRequestor = true)
    {
        const AssociationState S1 = AssociationState.Sta1, S2 = AssociationState.Sta2, S3 = AssociationState.Sta3, S4 = AssociationState.Sta4,
            S5 = AssociationState.Sta5, S6 = AssociationState.Sta6, S7 = AssociationState.Sta7, S8 = AssociationState.Sta8, S9 = AssociationState.Sta9,
            S10 = AssociationState.Sta10, S11 = AssociationState.Sta11, S12 = AssociationState.Sta12, S13 = AssociationState.Sta13;
        var invalid = (AssociationAction.Invalid, state);
        var aa8 = (AssociationAction.AA8, S13);
        var established = state is >= S6 and <= S12;

        // A PDU received where the table has no entry of its own: Sta2 answers AA-1, Sta13 ignores (AA-6), the rest abort (AA-8).
        (AssociationAction, AssociationState) Unexpected() => state switch
        {
            S2 => (AssociationAction.AA1, S13),
            S13 => (AssociationAction.AA6, S13),
            S1 or S4 => invalid,
            _ => aa8,
        };

        return evt switch
        {
            AssociationEvent.Evt1 => state == S1 ? (AssociationAction.AE1, S4) : invalid,
            AssociationEvent.Evt2 => state == S4 ? (AssociationAction.AE2, S5) : invalid,
            AssociationEvent.Evt3 => state == S5 ? (AssociationAction.AE3, S6) : Unexpected(),
            AssociationEvent.Evt4 => state == S5 ? (AssociationAction.AE4, S1) : Unexpected(),
            AssociationEvent.Evt5 => state == S1 ? (AssociationAction.AE5, S2) : invalid,
            AssociationEvent.Evt6 => state switch
            {
                S2 => (AssociationAction.AE6, acceptable ? S3 : S13),
                S13 => (AssociationAction.AA7, S13),
                _ => Unexpected(),
            },
            AssociationEvent.Evt7 => state == S3 ? (AssociationAction.AE7, S6) : invalid,
            AssociationEvent.Evt8 => state == S3 ? (AssociationAction.AE8, S13) : invalid,
            AssociationEvent.Evt9 => state switch
            {
                S6 => (AssociationAction.DT1, S6),
                S8 => (AssociationAction.AR7, S8),
                _ => invalid,
            },
            AssociationEvent.Evt10 => state switch
            {
                S6 => (AssociationAction.DT2, S6),
                S7 => (AssociationAction.AR6, S7),
                _ => Unexpected(),
            },
            AssociationEvent.Evt11 => state == S6 ? (AssociationAction.AR1, S7) : invalid,
            AssociationEvent.Evt12 => state switch
            {
                S6 => (AssociationAction.AR2, S8),
                S7 => (AssociationAction.AR8, isRequestor ? S9 : S10),
                _ => Unexpected(),
            },
            AssociationEvent.Evt13 => state switch
            {
                S7 => (AssociationAction.AR3, S1),
                S10 => (AssociationAction.AR10, S12),
                S11 => (AssociationAction.AR3, S1),
                _ => Unexpected(),
            },
            AssociationEvent.Evt14 => state switch
            {
                S8 => (AssociationAction.AR4, S13),
                S9 => (AssociationAction.AR9, S11),
                S12 => (AssociationAction.AR4, S13),
                _ => invalid,
            },
            AssociationEvent.Evt15 => state switch
            {
                S4 => (AssociationAction.AA2, S1),
                S3 or S5 => (AssociationAction.AA1, S13),
                _ when established => (AssociationAction.AA1, S13),
                _ => invalid,
            },
            AssociationEvent.Evt16 => state switch
            {
                S2 or S13 => (AssociationAction.AA2, S1),
                S3 or S5 => (AssociationAction.AA3, S1),
                _ when established => (AssociationAction.AA3, S1),
                _ => invalid,
            },
            AssociationEvent.Evt17 => state switch
            {
                S2 => (AssociationAction.AA5, S1),
                S13 => (AssociationAction.AR5, S1),
                S3 or S4 or S5 => (AssociationAction.AA4, S1),
                _ when established => (AssociationAction.AA4, S1),
                _ => invalid,
            },
            AssociationEvent.Evt18 => state switch
            {
                S2 or S13 => (AssociationAction.AA2, S1),
                _ => invalid,
            },
            AssociationEvent.Evt19 => state switch
            {
                S2 => (AssociationAction.AA1, S13),
                S13 => (AssociationAction.AA7, S13),
                S3 or S5 => aa8,
                _ when established => aa8,
                _ => invalid,
            },
            _ => invalid,
        };
    }
}
